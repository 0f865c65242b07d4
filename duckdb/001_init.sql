-- newsmon schema, version 1. Timestamps are UTC (TIMESTAMPTZ); keys are canonical URLs and content hashes.

CREATE TABLE runs (
    run_id      VARCHAR PRIMARY KEY,          -- Prefect flow run id
    flow        VARCHAR NOT NULL,
    params      JSON,
    started_at  TIMESTAMPTZ NOT NULL,
    finished_at TIMESTAMPTZ,
    status      VARCHAR NOT NULL,             -- running | completed | failed
    counts      JSON,                         -- per stage
    drops       JSON,                         -- per reason
    error       VARCHAR
);

CREATE TABLE sources (
    name            VARCHAR PRIMARY KEY,
    kind            VARCHAR NOT NULL,
    url             VARCHAR NOT NULL,
    language        VARCHAR,
    delay           DOUBLE,
    etag            VARCHAR,                  -- conditional GET state of the feed / sitemap
    last_modified   VARCHAR,
    last_checked_at TIMESTAMPTZ,
    last_status     INTEGER,
    last_error      VARCHAR,
    failures        INTEGER NOT NULL DEFAULT 0,  -- consecutive
    items_seen      INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE urls (
    url           VARCHAR PRIMARY KEY,        -- canonical (cleaned) URL
    first_seen    TIMESTAMPTZ NOT NULL,
    discovered_by VARCHAR NOT NULL,           -- source name
    first_run_id  VARCHAR,
    title_hint    VARCHAR,
    published_hint TIMESTAMPTZ,
    language_hint VARCHAR,
    status        VARCHAR NOT NULL,           -- new | fetched | failed | loaded | duplicate | irrelevant | failed_permanent | no_text
    reason        VARCHAR,                    -- why the status: error code, duplicate kind, relevance reason
    attempts      INTEGER NOT NULL DEFAULT 0, -- fetches tried across runs
    last_fetch_at TIMESTAMPTZ,
    relevance     DOUBLE,
    article_id    VARCHAR,                    -- the article this URL loaded as, or duplicates
    updated_run_id VARCHAR
);

CREATE TABLE fetches (
    url          VARCHAR NOT NULL,            -- the URL asked for (canonical)
    run_id       VARCHAR NOT NULL,
    attempt      INTEGER NOT NULL,            -- 1.. within this fetch
    request_url  VARCHAR NOT NULL,            -- redirect hops have their own URL
    status       INTEGER,
    bytes        BIGINT,
    elapsed_ms   INTEGER,
    error        VARCHAR,
    etag         VARCHAR,
    last_modified VARCHAR,
    fetched_at   TIMESTAMPTZ NOT NULL
);

CREATE TABLE raw_pages (
    url          VARCHAR PRIMARY KEY,         -- canonical URL asked for
    final_url    VARCHAR,
    status       INTEGER,
    content_type VARCHAR,
    encoding     VARCHAR,
    content_hash VARCHAR NOT NULL,            -- sha256 of the body bytes
    fetched_at   TIMESTAMPTZ NOT NULL,
    run_id       VARCHAR NOT NULL,
    html_zlib    BLOB NOT NULL                -- decoded HTML, utf-8, zlib-compressed
);

CREATE TABLE articles (
    article_id        VARCHAR PRIMARY KEY,    -- sha256(canonical_url)[:16]
    url               VARCHAR NOT NULL,       -- the URL it was fetched from
    canonical_url     VARCHAR NOT NULL,
    title             VARCHAR,
    authors           VARCHAR[],
    published_at      TIMESTAMPTZ,
    language          VARCHAR,
    site              VARCHAR,
    source            VARCHAR,
    text              VARCHAR NOT NULL,
    text_hash         VARCHAR NOT NULL,       -- sha256 of the normalised text
    relevance         DOUBLE,
    matched_terms     JSON,
    story_id          VARCHAR NOT NULL,
    extraction_method VARCHAR,                -- trafilatura | soup
    extractor_version VARCHAR NOT NULL,
    first_run_id      VARCHAR NOT NULL,
    last_run_id       VARCHAR NOT NULL,
    loaded_at         TIMESTAMPTZ NOT NULL
);

CREATE TABLE sightings (
    url         VARCHAR PRIMARY KEY,          -- the copy
    article_id  VARCHAR NOT NULL,             -- the first article it copies
    kind        VARCHAR NOT NULL,             -- exact | amp | canonical | near | translation
    similarity  DOUBLE,
    site        VARCHAR,
    published_at TIMESTAMPTZ,
    run_id      VARCHAR NOT NULL,
    seen_at     TIMESTAMPTZ NOT NULL
);

CREATE TABLE boilerplate_removed (
    article_id  VARCHAR NOT NULL,
    position    INTEGER NOT NULL,             -- line index in the extracted text
    rule        VARCHAR NOT NULL,
    snippet     VARCHAR NOT NULL,
    PRIMARY KEY (article_id, position, snippet)
);

CREATE VIEW articles_clean AS
    SELECT a.article_id, a.canonical_url, a.title, a.published_at, a.language, a.site, a.source,
           a.relevance, a.story_id, a.text,
           (SELECT count(*) FROM sightings s WHERE s.article_id = a.article_id) AS copies
    FROM articles a;

CREATE VIEW daily_coverage AS
    SELECT CAST(published_at AS DATE) AS day, language, site, count(*) AS articles
    FROM articles GROUP BY ALL ORDER BY day, language, site;

CREATE VIEW run_health AS
    SELECT run_id, flow, status, started_at, finished_at,
           date_diff('second', started_at, finished_at) AS seconds, counts, drops, error
    FROM runs ORDER BY started_at DESC;

CREATE VIEW source_health AS
    SELECT name, kind, language, last_checked_at, last_status, last_error, failures, items_seen
    FROM sources ORDER BY failures DESC, name;
