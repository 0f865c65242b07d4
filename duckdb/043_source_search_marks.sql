-- Where the nightly's search pass got to per search source: the next nightly asks from there, not the whole day.

ALTER TABLE sources ADD COLUMN searched_until TIMESTAMPTZ;

COMMENT ON COLUMN sources.searched_until IS 'Search sources: end (UTC) of the last nightly search window the source answered without error; the next nightly starts there (NULL: never searched by a nightly)';
