-- Full-text search in every language: a pre-tokenised copy of each article, in its own schema, indexed by fts.
CREATE SCHEMA search_index;

CREATE TABLE search_index.docs (
    article_id  VARCHAR PRIMARY KEY,
    language    VARCHAR,
    last_run_id VARCHAR,
    version     INTEGER NOT NULL,
    body        VARCHAR NOT NULL
);

COMMENT ON TABLE search_index.docs IS 'Search index internals: each article''s title and text as index terms (stems; CJK bigrams), rebuilt by tasks/search_index.py. Query with `newsmon search`.';
COMMENT ON COLUMN search_index.docs.article_id IS 'The article (articles.article_id).';
COMMENT ON COLUMN search_index.docs.language IS 'The language whose stemmer made the terms.';
COMMENT ON COLUMN search_index.docs.last_run_id IS 'articles.last_run_id of the version tokenised; a rewrite re-tokenises the article.';
COMMENT ON COLUMN search_index.docs.version IS 'Version of the normalisation that made the terms.';
COMMENT ON COLUMN search_index.docs.body IS 'Space-separated index terms.';
