-- Batch loads without per-row key checks: three tables lose a primary key no query reads them by.
--
-- DuckDB checks a PRIMARY KEY on every inserted row and maintains its ART index at commit (bench/load_breakdown.py
-- times a batch load statement by statement). Rows of these tables are only ever read by scanning or by their
-- page or article, and a load never writes a row twice:
--   boilerplate_removed  deleted per article (an article stored before) before its snippets are written again
--   date_signals         deleted per page (found through page_dates' key) before its signals are written again
--   template_page_lines  withdrawn per page (found through page_lines' key) before its lines are counted again
-- so a rerun of a batch still writes every row once (tests/test_store.py, the crash tests).

CREATE TABLE boilerplate_removed_055 (
    article_id  VARCHAR NOT NULL,
    position    INTEGER NOT NULL,
    rule        VARCHAR NOT NULL,
    snippet     VARCHAR NOT NULL
);
INSERT INTO boilerplate_removed_055 SELECT article_id, position, rule, snippet FROM boilerplate_removed;
DROP TABLE boilerplate_removed;
ALTER TABLE boilerplate_removed_055 RENAME TO boilerplate_removed;
COMMENT ON TABLE boilerplate_removed IS 'One row per snippet removed from an article''s text (replaced whole per article by each load of it).';
COMMENT ON COLUMN boilerplate_removed.article_id IS 'The article.';
COMMENT ON COLUMN boilerplate_removed.position IS 'Line index in the extracted text.';
COMMENT ON COLUMN boilerplate_removed.rule IS 'Rule id, or site-template:vN for a learned line.';
COMMENT ON COLUMN boilerplate_removed.snippet IS 'Text removed.';

CREATE TABLE date_signals_055 (
    url         VARCHAR NOT NULL,
    position    INTEGER NOT NULL,
    kind        VARCHAR NOT NULL,
    role        VARCHAR NOT NULL,
    day         DATE,
    signal_at   TIMESTAMPTZ,
    local_time  TIMESTAMP,
    utc_offset_min INTEGER,
    raw         VARCHAR,
    reason      VARCHAR
);
INSERT INTO date_signals_055 SELECT url, position, kind, role, day, signal_at, local_time, utc_offset_min, raw, reason
FROM date_signals;
DROP TABLE date_signals;
ALTER TABLE date_signals_055 RENAME TO date_signals;
COMMENT ON TABLE date_signals IS 'Every date signal of a page (markup, URL, feed/sitemap/search date, archive capture, first fetch) and every dropped value (replaced whole per page with its page_dates row)';
COMMENT ON COLUMN date_signals.url IS 'Canonical URL the page was fetched under';
COMMENT ON COLUMN date_signals.position IS 'Order of trust, 0 first';
COMMENT ON COLUMN date_signals.kind IS 'Where the date comes from: jsonld:*, meta:*, time, byline, htmldate, url, source:<name>, archive, fetched';
COMMENT ON COLUMN date_signals.role IS 'published, modified, seen (the page existed then) or dropped (unreadable or out of range)';
COMMENT ON COLUMN date_signals.day IS 'Local day the signal names';
COMMENT ON COLUMN date_signals.signal_at IS 'Instant, when the value gives an offset';
COMMENT ON COLUMN date_signals.local_time IS 'Wall-clock time as written';
COMMENT ON COLUMN date_signals.utc_offset_min IS 'UTC offset as written, in minutes';
COMMENT ON COLUMN date_signals.raw IS 'The value as found';
COMMENT ON COLUMN date_signals.reason IS 'Why a dropped value was dropped';

CREATE TABLE template_page_lines_055 (
    url       VARCHAR NOT NULL,
    site      VARCHAR NOT NULL,
    day       DATE NOT NULL,
    relevant  BOOLEAN NOT NULL,
    line_key  VARCHAR NOT NULL,
    spelling  VARCHAR NOT NULL
);
INSERT INTO template_page_lines_055 SELECT url, site, day, relevant, line_key, spelling FROM template_page_lines;
DROP TABLE template_page_lines;
ALTER TABLE template_page_lines_055 RENAME TO template_page_lines;
COMMENT ON TABLE template_page_lines IS 'The lines each decided page counts for its site''s template learning (title and lead excluded; withdrawn per page before it is counted again).';
COMMENT ON COLUMN template_page_lines.url IS 'A decided page (as in page_lines).';
COMMENT ON COLUMN template_page_lines.site IS 'Site (host[:port]).';
COMMENT ON COLUMN template_page_lines.day IS 'Publication day; 0001-01-01 for a page without one.';
COMMENT ON COLUMN template_page_lines.relevant IS 'The page is on topic.';
COMMENT ON COLUMN template_page_lines.line_key IS 'tasks.templates.line_key of a line the page counts.';
COMMENT ON COLUMN template_page_lines.spelling IS 'The line as seen on this page.';
