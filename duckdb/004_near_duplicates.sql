-- MinHash signatures of loaded articles, for near-duplicate detection (syndicated copies with other chrome).
CREATE TABLE article_minhash (
    article_id VARCHAR PRIMARY KEY,
    signature  BLOB NOT NULL         -- datasketch MinHash hash values (uint32 x num_perm)
);
