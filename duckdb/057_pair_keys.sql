-- Name and number keys become pair keys: a name alone (`e:<name>@<day>`) is held by every article of a busy day
-- naming it, and the lookup read them all. An article is now held under every pair of its names and distinctive
-- numbers (`w:<item>|<item>@<day>`, items sorted, at most 10 of them: tasks.dedupe.weak_items) and, stating a
-- single distinctive number, under that number (`s:<number>@<day>`): what the story rules can link by.
-- The stored single keys are re-keyed here (nothing is read again) into a table written afresh: deleting them
-- in place left the key index and the table's row groups full of deleted rows, and lookups three times slower.

CREATE TABLE dedupe_keys_paired (
    key        VARCHAR NOT NULL,
    article_id VARCHAR NOT NULL,
    day        DATE,
    PRIMARY KEY (key, article_id)
);

INSERT INTO dedupe_keys_paired (key, article_id, day)
WITH items AS (
    SELECT article_id, day, split_part(key, '@', 1) AS item,
           row_number() OVER (PARTITION BY article_id, day ORDER BY split_part(key, '@', 1)) AS place
    FROM dedupe_keys
    WHERE (starts_with(key, 'e:') OR starts_with(key, 'n:')) AND day IS NOT NULL AND contains(key, '@')
)
SELECT key, article_id, day FROM dedupe_keys WHERE NOT (starts_with(key, 'e:') OR starts_with(key, 'n:'))
UNION ALL
SELECT 'w:' || a.item || '|' || b.item || '@' || strftime(a.day, '%Y-%m-%d'), a.article_id, a.day
FROM items a JOIN items b ON a.article_id = b.article_id AND a.day = b.day AND a.item < b.item
WHERE a.place <= 10 AND b.place <= 10
UNION ALL
SELECT 's:' || substr(min(item), 3) || '@' || strftime(day, '%Y-%m-%d'), article_id, day
FROM items
WHERE starts_with(item, 'n:')
GROUP BY article_id, day
HAVING count(*) = 1
ON CONFLICT DO NOTHING;

DROP TABLE dedupe_keys;
ALTER TABLE dedupe_keys_paired RENAME TO dedupe_keys;
CREATE INDEX dedupe_keys_key ON dedupe_keys (key);

COMMENT ON TABLE dedupe_keys IS 'Lookup keys of loaded articles: a batch fetches only the stored articles sharing a key with it';
COMMENT ON COLUMN dedupe_keys.key IS 'u: canonical URL, h: normalised text hash, bN: MinHash LSH band N, p: paragraph hash, w: pair of event/evidence names (e:) and distinctive numbers (n:) @ publication day, s: sole distinctive number @ publication day';
COMMENT ON COLUMN dedupe_keys.article_id IS 'The article found by this key';
COMMENT ON COLUMN dedupe_keys.day IS 'Publication day (UTC) of the article; pair and sole-number keys match only within a few days';
