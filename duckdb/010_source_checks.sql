-- What discovery set aside in a source's last check: items skipped and fields dropped, counted by reason.
ALTER TABLE sources ADD COLUMN last_skipped JSON;

COMMENT ON COLUMN sources.last_skipped IS 'reason -> count of items skipped (no or bad link) or fields set to NULL (published_out_of_range, published_unreadable, ...) in the last check; NULL when nothing was set aside';
