DROP TABLE returnee_word_pairs;
DROP TABLE returnee_words;
DROP TABLE name_word_keys;
DROP TABLE name_words;
CREATE TABLE name_keys (
    key TEXT NOT NULL,
    returnee_id BIGINT NOT NULL REFERENCES returnees (id),
    PRIMARY KEY (key, returnee_id)
) WITHOUT ROWID;
CREATE INDEX name_keys_returnee ON name_keys (returnee_id);
UPDATE returnees SET keys_version = 0;
