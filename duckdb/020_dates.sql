-- Publication dates: every date signal per page, the date chosen from them, in the publisher's own time.
-- Views count by the publisher's local day (`published_day`), so they give the same rows in every session time zone.

CREATE TABLE page_dates (
    url               VARCHAR PRIMARY KEY,   -- canonical URL the page was fetched under
    article_id        VARCHAR,               -- the article it loaded as or copies, if any
    published_at      TIMESTAMPTZ,           -- the chosen instant (a bare day: its start in UTC)
    published_local   TIMESTAMP,             -- wall-clock time as the chosen signal writes it
    utc_offset_min    INTEGER,               -- its UTC offset in minutes; NULL when the value gives none
    published_day     DATE,                  -- the publisher's local day: what coverage counts and backfills select on
    modified_at       TIMESTAMPTZ,           -- the page's modified date, kept apart from the published one
    rule              VARCHAR NOT NULL,      -- the signal kind that chose it, capped:<kind>, or none
    confidence        DOUBLE NOT NULL,       -- 0..1
    disagreement_days INTEGER NOT NULL,      -- spread of the publication days the signals name
    flagged           BOOLEAN NOT NULL,      -- signals disagree by more than a day
    run_id            VARCHAR NOT NULL,
    decided_at        TIMESTAMPTZ NOT NULL
);

CREATE TABLE date_signals (
    url         VARCHAR NOT NULL,            -- canonical URL the page was fetched under
    position    INTEGER NOT NULL,            -- order of trust, 0 first
    kind        VARCHAR NOT NULL,            -- jsonld:datePublished, meta:<name>, time, byline, htmldate, url, source:<name>, archive, fetched
    role        VARCHAR NOT NULL,            -- published | modified | seen | dropped
    day         DATE,                        -- the local day it names
    signal_at   TIMESTAMPTZ,                 -- the instant, when the value gives an offset
    local_time  TIMESTAMP,                   -- the wall-clock time as written
    utc_offset_min INTEGER,
    raw         VARCHAR,                     -- the value as found
    reason      VARCHAR,                     -- why a dropped value was dropped
    PRIMARY KEY (url, position)
);

COMMENT ON TABLE page_dates IS 'One row per decided page: the publication date chosen from every date signal, the rule and confidence';
COMMENT ON COLUMN page_dates.url IS 'Canonical URL the page was fetched under';
COMMENT ON COLUMN page_dates.article_id IS 'Article the page loaded as or copies, if any';
COMMENT ON COLUMN page_dates.published_at IS 'Chosen publication instant; a bare day is its start in UTC';
COMMENT ON COLUMN page_dates.published_local IS 'Wall-clock publication time as the page writes it';
COMMENT ON COLUMN page_dates.utc_offset_min IS 'UTC offset of published_local in minutes; NULL when the page gives none';
COMMENT ON COLUMN page_dates.published_day IS 'Publisher local day: the day coverage is counted on and backfills select by';
COMMENT ON COLUMN page_dates.modified_at IS 'Modified/updated date of the page, never used as the publication date';
COMMENT ON COLUMN page_dates.rule IS 'Signal kind that chose the date; capped:<kind> when the first capture was earlier; none';
COMMENT ON COLUMN page_dates.confidence IS 'Confidence in the chosen date, 0 to 1';
COMMENT ON COLUMN page_dates.disagreement_days IS 'Spread in days of the publication days the signals name';
COMMENT ON COLUMN page_dates.flagged IS 'True when the signals disagree by more than one day';
COMMENT ON COLUMN page_dates.run_id IS 'Run that decided the page';
COMMENT ON COLUMN page_dates.decided_at IS 'When the page was decided';
COMMENT ON TABLE date_signals IS 'Every date signal of a page (markup, URL, feed/sitemap/search date, archive capture, first fetch) and every dropped value';
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

-- Views: days are the publisher's local day, or the UTC day (never the session's zone) for pages decided before
DROP VIEW daily_coverage;
CREATE VIEW daily_coverage AS
    SELECT coalesce(d.published_day, CAST(timezone('UTC', a.published_at) AS DATE)) AS day,
           a.language, a.site, count(*) AS articles
    FROM articles a LEFT JOIN page_dates d ON d.url = a.url
    GROUP BY ALL ORDER BY day, language, site;

DROP VIEW articles_clean;
CREATE VIEW articles_clean AS
    SELECT a.article_id, a.canonical_url, a.title, a.published_at, a.language, a.site, a.source,
           a.relevance, a.story_id, a.text,
           (SELECT count(*) FROM sightings s WHERE s.article_id = a.article_id) AS copies,
           coalesce(d.published_day, CAST(timezone('UTC', a.published_at) AS DATE)) AS published_day,
           d.published_local, d.utc_offset_min, d.rule AS date_rule, d.confidence AS date_confidence,
           d.flagged AS date_flagged
    FROM articles a LEFT JOIN page_dates d ON d.url = a.url;

CREATE VIEW date_disagreements AS
    SELECT d.url, d.article_id, d.published_day, d.rule, d.confidence, d.disagreement_days,
           list(s.kind || '=' || CAST(s.day AS VARCHAR) ORDER BY s.position) AS signals
    FROM page_dates d JOIN date_signals s ON s.url = d.url AND s.role = 'published'
    WHERE d.flagged GROUP BY ALL ORDER BY d.disagreement_days DESC, d.url;
