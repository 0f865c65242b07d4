-- Where the nightly's search pass got to per search source and language: a source asked once per language
-- (Google News, GDELT DOC) keeps one mark per language, so a language whose query failed is asked its window
-- again while the others ask only what is new.

CREATE TABLE search_marks (
    source TEXT NOT NULL,
    language TEXT NOT NULL,
    searched_until TIMESTAMPTZ NOT NULL,
    run_id TEXT,
    updated_at TIMESTAMPTZ,
    PRIMARY KEY (source, language)
);

COMMENT ON TABLE search_marks IS 'Nightly search pass: per search source and query language, the end of the last window that language answered without error';
COMMENT ON COLUMN search_marks.source IS 'Search source name (sources.name)';
COMMENT ON COLUMN search_marks.language IS 'Language whose query answered (ISO 639-1, as in config/topics.toml)';
COMMENT ON COLUMN search_marks.searched_until IS 'End (UTC) of the last nightly window this language answered without error; the next nightly asks from there less [nightly] search_overlap_hours';
COMMENT ON COLUMN search_marks.run_id IS 'Run that moved the mark';
COMMENT ON COLUMN search_marks.updated_at IS 'When (UTC) the mark was moved';

COMMENT ON COLUMN sources.searched_until IS 'Search sources: end (UTC) of the last nightly search window the source answered without error in every language it asks (per-language marks: search_marks, which start from this one when they have no row of their own); NULL: never searched by a nightly';
