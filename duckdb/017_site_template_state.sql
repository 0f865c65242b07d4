-- Which site-template version each site's pages were last redone with. Learning a new version and redoing the
-- pages it changes are two steps; a run killed between them leaves a site behind here, and the next run redoes
-- it (comparing the site's lines in the latest version with those of the version its pages were redone with).
CREATE TABLE site_template_state (
    site           VARCHAR PRIMARY KEY,   -- host[:port], as site_templates.site
    redone_version INTEGER NOT NULL,      -- template version the site's pages were last decided with (0: none)
    redone_at      TIMESTAMPTZ NOT NULL,
    run_id         VARCHAR NOT NULL
);

COMMENT ON TABLE site_template_state IS 'Per site: the template version its pages were last redone with';
COMMENT ON COLUMN site_template_state.site IS 'host[:port] of the site (site_templates.site)';
COMMENT ON COLUMN site_template_state.redone_version IS 'template_versions.version its pages were last decided with';
COMMENT ON COLUMN site_template_state.redone_at IS 'when its pages were last redone (UTC)';
COMMENT ON COLUMN site_template_state.run_id IS 'run that redid them';

-- databases from before this table: the latest version is taken as applied
INSERT INTO site_template_state
SELECT DISTINCT site, version, now(), 'migration-017' FROM site_templates
WHERE version = (SELECT max(version) FROM template_versions);
