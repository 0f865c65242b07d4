-- The reason for each raw body's charset decision (bom, nul_pattern, valid_utf8, header, declared, detected,
-- fallback), beside the charset itself: reprocess decodes the kept bytes again with the current decoder and
-- rewrites raw_pages where the decision changed. Rows stored before this migration have no reason.
ALTER TABLE raw_bodies ADD COLUMN encoding_reason VARCHAR;

COMMENT ON COLUMN raw_bodies.encoding_reason IS 'why that charset: bom, nul_pattern (UTF-16/32 without BOM), declared_7bit, valid_utf8, header, declared, detected, fallback; NULL when unknown';
