-- The name index in two levels, so a search reads each matching person once: every
-- distinct name word once with its spelling keys (a few thousand words however many
-- returnees), then which returnees bear each word, and each pair of words a returnee
-- bears, so a given and family name typed together are found with a few index ranges.
-- Filled by the application (keys_version 3) at the next start.
CREATE TABLE name_words (
    id INTEGER PRIMARY KEY,
    word TEXT NOT NULL UNIQUE
);

CREATE TABLE name_word_keys (
    key TEXT NOT NULL,
    word_id BIGINT NOT NULL REFERENCES name_words (id),
    PRIMARY KEY (key, word_id)
) WITHOUT ROWID;

CREATE TABLE returnee_words (
    word_id BIGINT NOT NULL REFERENCES name_words (id),
    returnee_id BIGINT NOT NULL REFERENCES returnees (id),
    PRIMARY KEY (word_id, returnee_id)
) WITHOUT ROWID;
CREATE INDEX returnee_words_returnee ON returnee_words (returnee_id);

CREATE TABLE returnee_word_pairs (
    first_id BIGINT NOT NULL REFERENCES name_words (id),
    second_id BIGINT NOT NULL REFERENCES name_words (id),
    returnee_id BIGINT NOT NULL REFERENCES returnees (id),
    PRIMARY KEY (first_id, second_id, returnee_id)
) WITHOUT ROWID;
CREATE INDEX returnee_word_pairs_returnee ON returnee_word_pairs (returnee_id);

DROP TABLE name_keys;
UPDATE returnees SET keys_version = 0;
