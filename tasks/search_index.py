"""Full-text search in every configured language, on DuckDB's fts extension.

DuckDB's fts tokenizer keeps only `[a-z]` runs by default, has no CJK tokenizer and one stemmer per index, and its
accent stripping removes Japanese voicing marks. So newsmon keeps a pre-tokenised copy of each article in
`search_index.docs` (its own schema, out of analysts' way) and indexes that with fts set to split on spaces only:

- Latin and Cyrillic words: NFKC, lower case, ё -> е, Latin accents removed, then the Snowball stemmer of the
  article's language applied until the stem stops changing (Russian "Пхеньян", "Пхеньяна", "Пхеньяне" -> one stem).
- Chinese, Japanese (kana and kanji) and Korean runs: overlapping character bigrams (a run of one character is kept
  whole, and its edge characters too), so a word is found wherever it occurs, Korean particles attached or not; NFKC keeps voicing marks
  (テ + ゛ -> デ). Hits for such queries are then checked for the query's characters in sequence.

Queries go through the same normalisation with the stemmer of each language searched. The copy is refreshed by
key (only articles rewritten since, by `last_run_id`, are re-tokenised) and only those are withdrawn from and
re-added to the fts index (a full build when there is none or most changed).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from functools import cache, lru_cache

import pyarrow as pa
import snowballstemmer

import duckdb
from tasks.repos import bulk

VERSION = 1  # of the normalisation; a change re-tokenises every article
TABLE = "search_index.docs"
FTS_SCHEMA = "fts_search_index_docs"
_NAMES = pa.schema([("name", pa.string())])

STEMMERS = {
    "en": "english",
    "ru": "russian",
    "de": "german",
    "fr": "french",
    "es": "spanish",
    "id": "indonesian",
    "it": "italian",
    "pt": "portuguese",
    "nl": "dutch",
    "uk": "russian",
}

_CJK = (
    "\u1100-\u11ff\u3040-\u30ff\u3130-\u318f\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff"
    "\uac00-\ud7af\uf900-\ufaff\uff66-\uff9f"
)
_TOKEN = re.compile(rf"[{_CJK}]+|[^\W_{_CJK}]+")
_IS_CJK = re.compile(rf"[{_CJK}]")


@cache
def _stemmer(language: str | None):
    name = STEMMERS.get(language or "")
    return snowballstemmer.stemmer(name) if name else None


def _strip_latin_accents(word: str) -> str:
    if word.isascii():
        return word
    out = []
    for ch in unicodedata.normalize("NFD", word):
        if unicodedata.combining(ch) and out and out[-1].isascii():
            continue  # an accent on a Latin letter; Cyrillic й and CJK voicing marks are kept
        out.append(ch)
    return unicodedata.normalize("NFC", "".join(out))


@lru_cache(maxsize=200_000)
def _stem(word: str, language: str | None) -> str:
    word = _strip_latin_accents(word.replace("ё", "е"))
    stemmer = _stemmer(language)
    if stemmer is None:
        return word
    for _ in range(4):  # to a fixed point: Snowball's Russian stems "пхеньян" and "пхеньяне" differently
        stem = stemmer.stemWord(word)
        if stem == word or len(stem) < 2:
            break
        word = stem
    return word


def _bigrams(run: str, edges: bool = True) -> list[str]:
    """Overlapping bigrams, plus the run's first and last character alone: a one-character query word
    ("북" of "북·러") then still finds the runs it starts or ends ("북-러는" -> 북, 러, 러는)."""
    if len(run) == 1:
        return [run]
    pairs = [run[i : i + 2] for i in range(len(run) - 1)]
    return [run[0], *pairs, run[-1]] if edges else pairs


def fold(text: str) -> str:
    """The case- and width-folded text (NFKC, lower case) CJK runs are compared in."""
    return unicodedata.normalize("NFKC", text or "").lower()


def tokens(text: str, language: str | None, *, query: bool = False) -> list[str]:
    """The index terms of `text` read as `language` (None: no stemming); a query's CJK words ask for their
    bigrams only (edge characters are indexed for one-character query words)."""
    out: list[str] = []
    for match in _TOKEN.finditer(fold(text)):
        run = match.group(0)
        if _IS_CJK.match(run):
            out.extend(_bigrams(run, edges=not query))
        else:
            out.append(_stem(run, language))
    return out


def normalise(text: str, language: str | None, *, query: bool = False) -> str:
    return " ".join(tokens(text, language, query=query))


def cjk_runs(query: str) -> list[str]:
    return [m.group(0) for m in _TOKEN.finditer(fold(query)) if _IS_CJK.match(m.group(0))]


# --- the copy and its index -------------------------------------------------------------------------------


def refresh(con: duckdb.DuckDBPyConnection, *, rebuild_index: bool = True) -> dict:
    """Bring `search_index.docs` up to date with `articles` by key, then rebuild the fts index over it."""
    gone_ids = [
        r[0]
        for r in con.execute(
            f"DELETE FROM {TABLE} d WHERE NOT EXISTS (SELECT 1 FROM articles a WHERE a.article_id = d.article_id) "
            "RETURNING article_id"
        ).fetchall()
    ]
    changed_ids = [
        r[0]
        for r in con.execute(
            f"""
            SELECT a.article_id FROM articles a LEFT JOIN {TABLE} d USING (article_id)
            WHERE d.article_id IS NULL OR d.last_run_id IS DISTINCT FROM a.last_run_id OR d.version <> ?
            ORDER BY a.article_id
            """,
            [VERSION],
        ).fetchall()
    ]
    for start in range(0, len(changed_ids), REFRESH_CHUNK):
        _retokenise(con, changed_ids[start : start + REFRESH_CHUNK])
    if rebuild_index and (changed_ids or gone_ids or not _index_exists(con)):
        _update_index(con, changed_ids, gone_ids)
    return {"tokenised": len(changed_ids), "removed": len(gone_ids)}


REFRESH_CHUNK = 2_000  # articles read and tokenised at a time (a first run over a large archive)


def _retokenise(con: duckdb.DuckDBPyConnection, article_ids: list[str]) -> None:
    """Write the tokenised copy of these articles (looked up by key)."""
    changed = bulk.lookup(
        con, "SELECT article_id, language, title, text, last_run_id FROM articles", "article_id", article_ids
    )
    rows = [
        {
            "article_id": article_id,
            "language": language,
            "last_run_id": last_run_id,
            "version": VERSION,
            "body": normalise(f"{title or ''}\n{text or ''}", language),
        }
        for article_id, language, title, text, last_run_id in changed
    ]
    bulk.insert(
        con,
        TABLE,
        rows,
        ["article_id", "language", "last_run_id", "version", "body"],
        on_conflict="ON CONFLICT (article_id) DO UPDATE SET language = excluded.language, "
        "last_run_id = excluded.last_run_id, version = excluded.version, body = excluded.body",
    )


FULL_SHARE = 0.3  # above this share of changed documents a full build is cheaper


def _update_index(con: duckdb.DuckDBPyConnection, changed: list[str], gone: list[str]) -> None:
    """Withdraw and re-add only the changed documents (tokenised by the index's own macro, as a full build
    does, so `match_bm25` scores what a rebuild would); a full build when there is no index or most changed."""
    from tasks.db import load_fts

    load_fts(con)
    if not _index_exists(con):
        build_index(con)
        return
    total = con.execute(f"SELECT count(*) FROM {FTS_SCHEMA}.docs").fetchone()[0]
    if len(changed) + len(gone) > FULL_SHARE * max(total, 1):
        build_index(con)
        return
    ids = [*changed, *gone]
    with bulk.registered(con, bulk.arrow_table([{"name": i} for i in ids], ["name"])) as touched:
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE si_old AS SELECT docid FROM {FTS_SCHEMA}.docs "
            f"WHERE name IN (SELECT name FROM {touched})"
        )
    s = FTS_SCHEMA
    con.execute(
        f"UPDATE {s}.dict d SET df = d.df - c.n FROM (SELECT termid, count(DISTINCT docid) AS n FROM {s}.terms "
        "WHERE docid IN (SELECT docid FROM si_old) GROUP BY termid) c WHERE d.termid = c.termid"
    )
    con.execute(f"DELETE FROM {s}.terms WHERE docid IN (SELECT docid FROM si_old)")
    con.execute(f"DELETE FROM {s}.docs WHERE docid IN (SELECT docid FROM si_old)")
    start = con.execute(f"SELECT coalesce(max(docid), -1) + 1 FROM {s}.docs").fetchone()[0]
    with bulk.registered(con, bulk.arrow_table([{"name": i} for i in changed], ["name"], _NAMES)) as new:
        con.execute(
            "CREATE OR REPLACE TEMP TABLE si_new_docs AS SELECT article_id AS name, "
            f"{start} + row_number() OVER (ORDER BY article_id) - 1 AS docid, body FROM {TABLE} "
            f"WHERE article_id IN (SELECT name FROM {new})"
        )
    con.execute(
        "CREATE OR REPLACE TEMP TABLE si_new_tokens AS SELECT docid, fieldid, stem(token, 'none') AS term FROM "
        f"(SELECT docid, (SELECT fieldid FROM {s}.fields WHERE field = 'body') AS fieldid, "
        f"unnest({s}.tokenize(body)) AS token FROM si_new_docs) WHERE token <> ''"
    )
    term_start = con.execute(f"SELECT coalesce(max(termid), -1) + 1 FROM {s}.dict").fetchone()[0]
    con.execute(
        f"INSERT INTO {s}.dict SELECT {term_start} + row_number() OVER (ORDER BY term) - 1, term, 0 FROM "
        f"(SELECT DISTINCT term FROM si_new_tokens WHERE term NOT IN (SELECT term FROM {s}.dict))"
    )
    con.execute(
        f"INSERT INTO {s}.terms SELECT t.docid, t.fieldid, d.termid FROM si_new_tokens t "
        f"JOIN {s}.dict d ON d.term = t.term"
    )
    con.execute(
        f"UPDATE {s}.dict d SET df = d.df + c.n FROM (SELECT term, count(DISTINCT docid) AS n "
        "FROM si_new_tokens GROUP BY term) c WHERE d.term = c.term"
    )
    con.execute(
        f"INSERT INTO {s}.docs SELECT n.docid, n.name, coalesce(l.len, 0) FROM si_new_docs n "
        "LEFT JOIN (SELECT docid, count(*) AS len FROM si_new_tokens GROUP BY docid) l USING (docid)"
    )
    con.execute(f"DELETE FROM {s}.stats")
    con.execute(f"INSERT INTO {s}.stats SELECT count(*), coalesce(avg(len), 0) FROM {s}.docs")


def _index_exists(con: duckdb.DuckDBPyConnection) -> bool:
    return bool(
        con.execute("SELECT count(*) FROM duckdb_schemas() WHERE schema_name = ?", [FTS_SCHEMA]).fetchone()[0]
    )


def build_index(con: duckdb.DuckDBPyConnection) -> None:
    from tasks.db import load_fts

    load_fts(con)
    con.execute(
        f"PRAGMA create_fts_index('{TABLE}', 'article_id', 'body', stemmer = 'none', stopwords = 'none', "
        "ignore = '\\s+', strip_accents = 0, lower = 0, overwrite = 1)"
    )


# --- queries -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Hit:
    article_id: str
    title: str | None
    score: float
    language: str | None
    site: str | None
    published_at: object
    url: str

    def as_json(self) -> dict:
        return {
            "article_id": self.article_id,
            "title": self.title,
            "score": round(self.score, 4),
            "language": self.language,
            "site": self.site,
            "published_at": self.published_at.isoformat() if self.published_at else None,
            "url": self.url,
        }


def query_sql(query: str, language: str) -> tuple[str, str]:
    """The normalised query string for `language` and a plain SQL statement using it (for the duckdb CLI)."""
    q = normalise(query, language, query=True).replace("'", "''")
    sql = (
        f"SELECT a.article_id, a.title, s.score FROM (SELECT article_id, {FTS_SCHEMA}.match_bm25(article_id, "
        f"'{q}', conjunctive := 1) AS score FROM {TABLE} WHERE language = '{language}') s "
        "JOIN articles a USING (article_id) WHERE s.score IS NOT NULL ORDER BY s.score DESC;"
    )
    return q, sql


def search(
    con: duckdb.DuckDBPyConnection,
    query: str,
    *,
    languages: list[str] | None = None,
    since: date | None = None,
) -> list[Hit]:
    """Articles holding every word of `query` (stems; CJK characters in sequence), best BM25 score first."""
    from tasks.db import load_fts

    if not _index_exists(con):
        return []
    load_fts(con)
    if languages is None:
        languages = [
            r[0]
            for r in con.execute(
                f"SELECT DISTINCT language FROM {TABLE} WHERE language IS NOT NULL"
            ).fetchall()
        ]
        languages.append(None)
    hits: dict[str, Hit] = {}
    runs = cjk_runs(query)
    for language in languages:
        q = normalise(query, language, query=True)
        if not q:
            continue
        where = "d.language = ?" if language is not None else "d.language IS NULL"
        params: list = [q] + ([language] if language is not None else [])
        if since is not None:
            where += " AND a.published_at >= ?"
            params.append(since)
        rows = con.execute(
            f"""
            SELECT a.article_id, a.title, s.score, a.language, a.site, a.published_at, a.canonical_url, a.text
            FROM (SELECT article_id, language, {FTS_SCHEMA}.match_bm25(article_id, ?, conjunctive := 1) AS score
                  FROM {TABLE}) s
            JOIN {TABLE} d USING (article_id) JOIN articles a USING (article_id)
            WHERE s.score IS NOT NULL AND {where}
            """,
            params,
        ).fetchall()
        for article_id, title, score, lang, site, published, url, text in rows:
            if runs:
                folded = fold(f"{title or ''}\n{text}")
                if not all(run in folded for run in runs):
                    continue
            hits[article_id] = Hit(article_id, title, float(score), lang, site, published, url)
    return sorted(hits.values(), key=lambda h: (-h.score, h.article_id))
