-- Backfills: archived copies to fetch from, finished windows (resume), GKG files done, links left unresolved.

ALTER TABLE urls ADD COLUMN fetch_url VARCHAR;        -- where to fetch the page when not from its URL (a raw archive copy)
ALTER TABLE urls ADD COLUMN archived_at TIMESTAMPTZ;  -- the archive's capture time of that copy

CREATE TABLE backfill_windows (
    backfill_key  VARCHAR NOT NULL,   -- digest of what was asked (sources, languages, refetch, window size)
    window_start  TIMESTAMPTZ NOT NULL,
    window_end    TIMESTAMPTZ NOT NULL,
    finished_at   TIMESTAMPTZ NOT NULL,
    run_id        VARCHAR NOT NULL,
    counts        JSON,
    PRIMARY KEY (backfill_key, window_start)
);

CREATE TABLE gkg_files (
    file        VARCHAR PRIMARY KEY,  -- a GKG 15-minute file read to the end
    source      VARCHAR NOT NULL,
    finished_at TIMESTAMPTZ NOT NULL,
    run_id      VARCHAR NOT NULL
);

CREATE TABLE unresolved_links (
    url       VARCHAR NOT NULL,       -- e.g. an opaque news.google.com/rss/articles/... link
    source    VARCHAR NOT NULL,
    title     VARCHAR,
    outlet    VARCHAR,
    language  VARCHAR,
    published TIMESTAMPTZ,
    why       VARCHAR,
    run_id    VARCHAR NOT NULL,
    seen_at   TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (url, source)
);

CREATE TABLE url_sources (
    url        VARCHAR NOT NULL,      -- canonical URL
    source     VARCHAR NOT NULL,      -- every source that found it, not only the first
    first_seen TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (url, source)
);
