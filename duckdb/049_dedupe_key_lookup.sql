-- Keyed lookups answered from an index: number keys carry their publication day (`n:<number>@<day>`, so a key
-- never gathers more than a few days of articles) and `key` has its own ART index (the (key, article_id) primary
-- key cannot answer a lookup by key alone). A batch's keys are looked up as IN lists of constants.

DELETE FROM dedupe_keys WHERE starts_with(key, 'n:') AND day IS NULL;
UPDATE dedupe_keys SET key = key || '@' || strftime(day, '%Y-%m-%d')
WHERE starts_with(key, 'n:') AND NOT contains(key, '@');
CREATE INDEX dedupe_keys_key ON dedupe_keys (key);
COMMENT ON COLUMN dedupe_keys.key IS 'u: canonical URL, h: normalised text hash, bN: MinHash LSH band N, p: paragraph hash, n: distinctive number @ publication day';
