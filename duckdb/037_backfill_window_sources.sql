-- Sources that answered for a backfill window: a window left unfinished because some source failed asks only
-- the sources missing here when a later backfill retries it.

CREATE TABLE backfill_window_sources (
    backfill_key  VARCHAR NOT NULL,
    window_start  TIMESTAMPTZ NOT NULL,
    source        VARCHAR NOT NULL,
    candidates    BIGINT NOT NULL,
    answered_at   TIMESTAMPTZ NOT NULL,
    run_id        VARCHAR NOT NULL,
    PRIMARY KEY (backfill_key, window_start, source)
);

COMMENT ON TABLE backfill_window_sources IS 'One row per source that answered for a backfill window: a retried window asks only the others.';
COMMENT ON COLUMN backfill_window_sources.backfill_key IS 'Digest of what was asked (as in backfill_windows).';
COMMENT ON COLUMN backfill_window_sources.window_start IS 'Window start (UTC, included).';
COMMENT ON COLUMN backfill_window_sources.source IS 'Source name (config/sources.toml) that answered for the window.';
COMMENT ON COLUMN backfill_window_sources.candidates IS 'Candidates the source gave for the window.';
COMMENT ON COLUMN backfill_window_sources.answered_at IS 'When its candidates were handed to fetch (UTC).';
COMMENT ON COLUMN backfill_window_sources.run_id IS 'Run in which it answered.';
