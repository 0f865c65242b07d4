-- Keyed near-duplicate and story lookups, and stories: every copy, translation and report of one event.

CREATE TABLE dedupe_keys (
    key        VARCHAR NOT NULL,   -- u:<canonical url> | h:<text hash> | b<band>:<LSH band hash> | p:<paragraph hash> | n:<number>
    article_id VARCHAR NOT NULL,
    day        DATE,               -- publication day: number keys are only matched within a few days
    PRIMARY KEY (key, article_id)
);
COMMENT ON TABLE dedupe_keys IS 'Lookup keys of loaded articles: a batch fetches only the stored articles sharing a key with it';
COMMENT ON COLUMN dedupe_keys.key IS 'u: canonical URL, h: normalised text hash, bN: MinHash LSH band N, p: paragraph hash, n: distinctive number';
COMMENT ON COLUMN dedupe_keys.article_id IS 'The article found by this key';
COMMENT ON COLUMN dedupe_keys.day IS 'Publication day (UTC) of the article; number keys match only within a few days';

CREATE TABLE story_articles (
    url          VARCHAR PRIMARY KEY,  -- the page (an article, or a copy recorded in sightings)
    article_id   VARCHAR NOT NULL,     -- the article (for a copy: the article it copies)
    story_id     VARCHAR NOT NULL,
    relation     VARCHAR NOT NULL,     -- original | copy | translation | report
    linked_to    VARCHAR,              -- the article it was linked by
    similarity   DOUBLE,
    evidence     JSON,
    language     VARCHAR,
    site         VARCHAR,
    title        VARCHAR,
    published_at TIMESTAMPTZ,
    run_id       VARCHAR NOT NULL,
    linked_at    TIMESTAMPTZ NOT NULL
);
COMMENT ON TABLE story_articles IS 'Each loaded or copied page and the story it belongs to, with how it was linked';
COMMENT ON COLUMN story_articles.url IS 'The page URL (articles.url, or sightings.url for a copy)';
COMMENT ON COLUMN story_articles.article_id IS 'The article; for a copy, the article it copies';
COMMENT ON COLUMN story_articles.story_id IS 'Current story id (merged stories are rewritten to the surviving id)';
COMMENT ON COLUMN story_articles.relation IS 'original: first article of the story; copy: exact/AMP/edited copy; translation; report: independent report of the same event';
COMMENT ON COLUMN story_articles.linked_to IS 'The article this page was compared with when linked';
COMMENT ON COLUMN story_articles.similarity IS 'Containment (copy), number overlap (translation, report)';
COMMENT ON COLUMN story_articles.evidence IS 'Why: containment, shared numbers, numbers and names only one side states, hours apart';
COMMENT ON COLUMN story_articles.language IS 'Language of the page';
COMMENT ON COLUMN story_articles.site IS 'Outlet (site name)';
COMMENT ON COLUMN story_articles.title IS 'Headline of the article';
COMMENT ON COLUMN story_articles.published_at IS 'Publication time of the page';
COMMENT ON COLUMN story_articles.run_id IS 'Run that linked it';
COMMENT ON COLUMN story_articles.linked_at IS 'When it was linked';

CREATE TABLE stories (
    story_id      VARCHAR PRIMARY KEY,   -- the id of its first article
    event_day     DATE,                  -- day of the first report
    first_seen    TIMESTAMPTZ,           -- earliest publication time of any page
    first_outlet  VARCHAR,
    languages     VARCHAR[],
    outlets       VARCHAR[],
    article_count INTEGER NOT NULL,      -- pages (articles and copies)
    headlines     JSON                   -- language -> earliest headline in that language
);
COMMENT ON TABLE stories IS 'One event: its articles, copies, translations and independent reports (story_articles)';
COMMENT ON COLUMN stories.story_id IS 'Stable id: the first article''s id; a merged story''s old id resolves through story_merges';
COMMENT ON COLUMN stories.event_day IS 'Day (UTC) of the first report';
COMMENT ON COLUMN stories.first_seen IS 'Earliest publication time of any of its pages';
COMMENT ON COLUMN stories.first_outlet IS 'Outlet of the earliest page';
COMMENT ON COLUMN stories.languages IS 'Languages it was reported in';
COMMENT ON COLUMN stories.outlets IS 'Outlets that carried it';
COMMENT ON COLUMN stories.article_count IS 'Pages in the story (articles and copies)';
COMMENT ON COLUMN stories.headlines IS 'Language -> the earliest headline in that language';

CREATE TABLE story_merges (
    old_story_id VARCHAR PRIMARY KEY,
    story_id     VARCHAR NOT NULL,
    url          VARCHAR,               -- the page that linked the two
    run_id       VARCHAR NOT NULL,
    merged_at    TIMESTAMPTZ NOT NULL
);
COMMENT ON TABLE story_merges IS 'Stories merged into another: the old id still resolves to the surviving one';
COMMENT ON COLUMN story_merges.old_story_id IS 'The id that no longer has its own story';
COMMENT ON COLUMN story_merges.story_id IS 'The story it merged into';
COMMENT ON COLUMN story_merges.url IS 'The page whose links joined the two stories';
COMMENT ON COLUMN story_merges.run_id IS 'Run that merged them';
COMMENT ON COLUMN story_merges.merged_at IS 'When';

CREATE VIEW story_timeline AS
    WITH first AS (SELECT story_id, min(published_at) AS first_at FROM story_articles GROUP BY story_id)
    SELECT sa.story_id, date_trunc('hour', sa.published_at) AS hour, CAST(sa.published_at AS DATE) AS day,
           sa.language, sa.site AS outlet, count(*) AS pages,
           string_agg(DISTINCT sa.relation, ',' ORDER BY sa.relation) AS relations,
           min(sa.published_at) AS first_at,
           round(date_diff('minute', f.first_at, min(sa.published_at)) / 60.0, 1) AS hours_after_first_report,
           round(date_diff('minute', f.first_at,
                 min(min(sa.published_at)) OVER (PARTITION BY sa.story_id, sa.language)) / 60.0, 1)
               AS language_hours_after_first_report
    FROM story_articles sa JOIN first f USING (story_id)
    GROUP BY sa.story_id, hour, day, sa.language, sa.site, f.first_at
    ORDER BY sa.story_id, first_at;
COMMENT ON VIEW story_timeline IS 'Story x hour x language x outlet: pages, and hours from the first report to this outlet and to this language';
