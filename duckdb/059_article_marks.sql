-- An article's fingerprint (the names and numbers it states, tasks.stories.fingerprint) kept with it. A batch
-- compares each page with up to 48 stored articles found by key; on a busy day most of them are not in the
-- run's index, and reading their names and numbers out of their text again was most of a batch's time at 100k
-- articles. Articles stored before this table are fingerprinted from their text when a batch needs them.

CREATE TABLE article_marks (
    article_id VARCHAR PRIMARY KEY,
    marks      VARCHAR NOT NULL
);

COMMENT ON TABLE article_marks IS 'Each article''s fingerprint for story linking, as decided: read by the batches comparing with it instead of made from its text again';
COMMENT ON COLUMN article_marks.article_id IS 'The article (articles.article_id)';
COMMENT ON COLUMN article_marks.marks IS 'JSON: language, distinctive and all numbers, event, evidence and background names, those of the headline and lead, and the digest of the name lists they were read with (another digest: made again from the text)';
