-- Documents on a case (identity papers, certificates, medical papers, training records,
-- contracts, photos): the file with its kind, type (read from its bytes), size, digest,
-- and whether it is sensitive (shown only to who may read the case's sensitive fields).
CREATE TABLE case_documents (
    id INTEGER PRIMARY KEY,
    case_id BIGINT NOT NULL REFERENCES cases (id),
    kind TEXT NOT NULL,
    file_name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size_bytes BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    content BLOB NOT NULL,
    sensitive BOOLEAN NOT NULL DEFAULT FALSE,
    created_by BIGINT NOT NULL REFERENCES users (id),
    created_at TEXT NOT NULL
);
CREATE INDEX case_documents_case ON case_documents (case_id, id);
