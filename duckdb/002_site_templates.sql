-- Learned site templates, versioned; the extracted lines of every decided page, to learn them from.

CREATE TABLE page_lines (
    url       VARCHAR PRIMARY KEY,   -- canonical URL the page was fetched under
    site      VARCHAR NOT NULL,      -- host[:port] of the page's canonical URL
    day       DATE,                  -- UTC publication day
    relevant  BOOLEAN NOT NULL,      -- on-topic (before templates were applied)
    title     VARCHAR,
    lines     VARCHAR[] NOT NULL     -- extracted text lines after the rules, before templates
);

CREATE TABLE template_versions (
    version    INTEGER PRIMARY KEY,  -- 1, 2, ...; version 0 means "no templates"
    created_at TIMESTAMPTZ NOT NULL,
    run_id     VARCHAR NOT NULL,
    settings   JSON NOT NULL,
    sites      INTEGER NOT NULL,
    lines      INTEGER NOT NULL,
    digest     VARCHAR NOT NULL      -- of the learned set, to tell whether learning changed anything
);

CREATE TABLE site_templates (
    version   INTEGER NOT NULL,
    site      VARCHAR NOT NULL,
    line_key  VARCHAR NOT NULL,
    example   VARCHAR NOT NULL,
    PRIMARY KEY (version, site, line_key)
);

ALTER TABLE articles ADD COLUMN template_version INTEGER DEFAULT 0;
