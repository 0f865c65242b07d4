-- `dedupe_keys` without its (key, article_id) primary key: a batch of 1,000 articles writes about 300,000 pair
-- keys, and DuckDB checked each against the key's index and maintained that index at commit (on a 10,000-article
-- database 12.5 s of a 13.1 s load; 2.9 s without it: bench/load_breakdown.py). The table is read by key only
-- (its `dedupe_keys_key` index stays). The load keeps rows unique itself: a new article's keys are inserted
-- once, an article stored before gains only the keys a keyed lookup does not find, and reprocessing withdraws
-- a page's keys before writing them again (tests/test_store.py).

CREATE TABLE dedupe_keys_058 (
    key        VARCHAR NOT NULL,
    article_id VARCHAR NOT NULL,
    day        DATE
);
INSERT INTO dedupe_keys_058 SELECT DISTINCT key, article_id, day FROM dedupe_keys;
DROP TABLE dedupe_keys;
ALTER TABLE dedupe_keys_058 RENAME TO dedupe_keys;
CREATE INDEX dedupe_keys_key ON dedupe_keys (key);

COMMENT ON TABLE dedupe_keys IS 'Lookup keys of loaded articles: a batch fetches only the stored articles sharing a key with it (each (key, article) once, kept so by the load)';
COMMENT ON COLUMN dedupe_keys.key IS 'u: canonical URL, h: normalised text hash, bN: MinHash LSH band N, p: paragraph hash, w: pair of event/evidence names (e:) and distinctive numbers (n:) @ publication day, s: sole distinctive number @ publication day';
COMMENT ON COLUMN dedupe_keys.article_id IS 'The article found by this key';
COMMENT ON COLUMN dedupe_keys.day IS 'Publication day (UTC) of the article; pair and sole-number keys match only within a few days';
