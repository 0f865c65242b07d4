-- Pages whose processing (extract, clean, score, dedupe, load) raised: recorded per page, so the rest of the
-- batch loads. A page that failed on two runs is set aside: urls.status = 'quarantined', reason = its error.
CREATE TABLE process_failures (
    url            VARCHAR PRIMARY KEY,      -- canonical URL (urls.url, raw_pages.url)
    failures       INTEGER NOT NULL,         -- distinct runs it failed on
    stage          VARCHAR NOT NULL,         -- analyse | decide | load: where it last failed
    error          VARCHAR NOT NULL,         -- the last error, one line: "ExceptionType: message"
    first_run_id   VARCHAR NOT NULL,
    last_run_id    VARCHAR NOT NULL,
    first_failed_at TIMESTAMPTZ NOT NULL,
    last_failed_at TIMESTAMPTZ NOT NULL
);

COMMENT ON TABLE process_failures IS 'Pages whose processing raised, one row per page; failed on 2 runs: quarantined';
COMMENT ON COLUMN process_failures.url IS 'canonical URL of the page (urls.url)';
COMMENT ON COLUMN process_failures.failures IS 'number of distinct runs the page failed on';
COMMENT ON COLUMN process_failures.stage IS 'analyse | decide | load: the step that raised last';
COMMENT ON COLUMN process_failures.error IS 'last error as one line: exception type and message';
COMMENT ON COLUMN process_failures.first_run_id IS 'run of the first failure';
COMMENT ON COLUMN process_failures.last_run_id IS 'run of the last failure';
COMMENT ON COLUMN process_failures.first_failed_at IS 'time of the first failure (UTC)';
COMMENT ON COLUMN process_failures.last_failed_at IS 'time of the last failure (UTC)';
