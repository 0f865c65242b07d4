-- The body bytes of every stored raw page as the server sent them (after transfer/content decoding), beside the
-- decoded HTML in raw_pages, with the charset decision that produced that HTML: a better decoder can re-decode
-- (reprocess) without refetching. One row per raw_pages row, same key.
CREATE TABLE raw_bodies (
    url          VARCHAR PRIMARY KEY,   -- raw_pages.url
    body_zlib    BLOB NOT NULL,         -- body bytes, zlib-compressed
    body_bytes   BIGINT NOT NULL,       -- length of the body before compression
    encoding     VARCHAR,               -- the charset the body was decoded with into raw_pages.html_zlib
    content_type VARCHAR,               -- the Content-Type header (its charset parameter, if any)
    content_hash VARCHAR NOT NULL,      -- sha256 of the body bytes (= raw_pages.content_hash)
    run_id       VARCHAR NOT NULL,
    fetched_at   TIMESTAMPTZ NOT NULL
);

COMMENT ON TABLE raw_bodies IS 'Body bytes of each raw page, zlib-compressed, with the charset it was decoded with';
COMMENT ON COLUMN raw_bodies.url IS 'canonical URL asked for (raw_pages.url)';
COMMENT ON COLUMN raw_bodies.body_zlib IS 'body bytes as received (after gzip/br decoding), zlib-compressed';
COMMENT ON COLUMN raw_bodies.body_bytes IS 'uncompressed length of the body';
COMMENT ON COLUMN raw_bodies.encoding IS 'charset used to decode the body into raw_pages.html_zlib';
COMMENT ON COLUMN raw_bodies.content_type IS 'Content-Type header as sent';
COMMENT ON COLUMN raw_bodies.content_hash IS 'sha256 of the body bytes';
COMMENT ON COLUMN raw_bodies.run_id IS 'run that fetched it';
COMMENT ON COLUMN raw_bodies.fetched_at IS 'when it was fetched (UTC)';
