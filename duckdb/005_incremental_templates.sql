-- Site-template learning kept up to date batch by batch: what each decided page counts, and the counts per site
-- and line, so learning reads only the sites whose pages changed since the last version.

CREATE TABLE template_page_lines (
    url       VARCHAR NOT NULL,      -- a decided page (as in page_lines)
    site      VARCHAR NOT NULL,
    day       DATE NOT NULL,         -- publication day; 0001-01-01 for a page without one
    relevant  BOOLEAN NOT NULL,
    line_key  VARCHAR NOT NULL,      -- tasks.templates.line_key of a line the page counts
    spelling  VARCHAR NOT NULL,      -- the line as seen on this page
    PRIMARY KEY (url, line_key)
);

CREATE TABLE template_line_counts (
    site      VARCHAR NOT NULL,
    line_key  VARCHAR NOT NULL,
    pages     INTEGER NOT NULL,      -- decided pages of the site that count the line
    on_pages  INTEGER NOT NULL,      -- ... of them on-topic
    PRIMARY KEY (site, line_key)
);

CREATE TABLE template_line_days (
    site      VARCHAR NOT NULL,
    line_key  VARCHAR NOT NULL,
    day       DATE NOT NULL,
    pages     INTEGER NOT NULL,
    PRIMARY KEY (site, line_key, day)
);

CREATE TABLE template_sites (
    site      VARCHAR PRIMARY KEY,
    pages     INTEGER NOT NULL,      -- decided pages of the site
    dirty     BOOLEAN NOT NULL,      -- pages changed since its templates were last learned
    applied_version INTEGER NOT NULL DEFAULT 0  -- the template version its decided pages were (re)done with
);

CREATE TABLE template_state (
    id        INTEGER PRIMARY KEY,   -- always 1
    settings  JSON NOT NULL          -- the thresholds the counts were made with; other thresholds: recount
);

COMMENT ON TABLE template_page_lines IS 'The lines each decided page counts for its site''s template learning (title and lead excluded).';
COMMENT ON TABLE template_line_counts IS 'Per site and line: how many decided pages count it, and how many of those are on-topic.';
COMMENT ON TABLE template_line_days IS 'Per site, line and publication day: how many decided pages count the line.';
COMMENT ON TABLE template_sites IS 'Per site: decided pages, whether they changed since its templates were learned, and the template version its pages were last redone with.';
COMMENT ON TABLE template_state IS 'The template thresholds the incremental counts were made with.';
