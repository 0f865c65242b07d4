"""Articles and what comes with them: removed snippets, sightings of copies, MinHash signatures."""

from __future__ import annotations

import json
from datetime import datetime

import duckdb
from tasks.dedupe import KnownArticle
from tasks.models import Outcome
from tasks.repos import bulk

ARTICLE_COLUMNS = (
    "article_id", "url", "canonical_url", "title", "authors", "published_at", "language", "site", "source", "text",
    "text_hash", "relevance", "matched_terms", "story_id", "extraction_method", "extractor_version",
    "template_version", "first_run_id", "last_run_id", "loaded_at",
)  # fmt: skip
_UPDATED = (
    "title", "authors", "published_at", "language", "site", "text", "text_hash", "relevance", "matched_terms",
    "extraction_method", "extractor_version", "template_version", "last_run_id",
)  # fmt: skip


def withdraw(con: duckdb.DuckDBPyConnection, outcomes: list[Outcome]) -> None:
    """Before pages are decided again: their sightings go, and so do the articles of pages no longer articles."""
    urls = [o.url for o in outcomes]
    gone = [o.url for o in outcomes if o.article is None]
    con.execute("DELETE FROM sightings WHERE url IN (SELECT unnest(?::VARCHAR[]))", [urls])
    if not gone:
        return
    of_gone = "(SELECT article_id FROM articles WHERE url IN (SELECT unnest(?::VARCHAR[])))"
    con.execute(f"DELETE FROM boilerplate_removed WHERE article_id IN {of_gone}", [gone])
    con.execute(f"DELETE FROM article_minhash WHERE article_id IN {of_gone}", [gone])
    con.execute(f"DELETE FROM article_marks WHERE article_id IN {of_gone}", [gone])
    con.execute("DELETE FROM articles WHERE url IN (SELECT unnest(?::VARCHAR[]))", [gone])


LANGUAGE_COLUMNS = (
    "language_confidence",
    "language_method",
    "language_claimed",
    "relevance_reason",
)  # migration 025


def stored_ids(con: duckdb.DuckDBPyConnection, outcomes: list[Outcome]) -> set[str]:
    """The batch's articles already in `articles` (looked up by key: a rerun, or a page decided again)."""
    return bulk.stored(con, "articles", "article_id", {o.article.article_id for o in outcomes if o.article})


def write(
    con: duckdb.DuckDBPyConnection,
    outcomes: list[Outcome],
    run_id: str,
    loaded_at: datetime,
    *,
    stored: set[str] | None = None,
) -> None:
    """Articles (upserted, with their language columns), their removed snippets (replaced), signatures and
    sightings of one batch. `stored`: the batch's articles already in the table (`stored_ids`)."""
    articles = list({o.article.article_id: o.article for o in outcomes if o.article is not None}.values())
    if stored is None:
        stored = bulk.stored(con, "articles", "article_id", [a.article_id for a in articles])
    columns = (*ARTICLE_COLUMNS, *LANGUAGE_COLUMNS)
    data = {c: [getattr(a, c, None) for a in articles] for c in columns}
    data["matched_terms"] = [json.dumps(a.matched_terms, ensure_ascii=False) for a in articles]
    data["first_run_id"] = data["last_run_id"] = [run_id] * len(articles)
    data["loaded_at"] = [loaded_at] * len(articles)
    if articles:
        updated = (*_UPDATED, *LANGUAGE_COLUMNS)
        # an upsert checks every row for a conflict: only a batch with stored articles needs one
        upsert = "ON CONFLICT (article_id) DO UPDATE SET " + ", ".join(f"{c} = excluded.{c}" for c in updated)
        with bulk.registered(con, bulk.columns_table(data)) as name:
            con.execute(
                f"INSERT INTO articles ({', '.join(columns)}) SELECT {', '.join(columns)} FROM {name} "
                + (upsert if stored else "")
            )
    if stored:  # snippets of an article loaded before are replaced whole
        con.execute(f"DELETE FROM boilerplate_removed WHERE article_id IN ({bulk.literals(sorted(stored))})")
    _write_by_article(con, "article_minhash", "signature", articles, upsert=bool(stored))
    _write_by_article(con, "article_marks", "marks", articles, upsert=bool(stored))
    removed = {
        (o.article_id, r.position, r.snippet): (o.article_id, r.position, r.rule, r.snippet)
        for o in outcomes
        if o.article is not None
        for r in o.removed
    }
    if removed:
        cols = ("article_id", "position", "rule", "snippet")
        rows = list(removed.values())
        with bulk.registered(
            con, bulk.columns_table({c: [r[i] for r in rows] for i, c in enumerate(cols)})
        ) as name:
            con.execute(f"INSERT INTO boilerplate_removed SELECT {', '.join(cols)} FROM {name}")
    sightings = {
        o.url: {"url": o.url, "article_id": o.article_id, "kind": o.sighting_kind, "similarity": o.similarity,
                "site": o.site, "published_at": o.published_at, "run_id": run_id, "seen_at": loaded_at}
        for o in outcomes
        if o.status == "duplicate"
    }  # fmt: skip
    bulk.insert(
        con,
        "sightings",
        list(sightings.values()),
        ("url", "article_id", "kind", "similarity", "site", "published_at", "run_id", "seen_at"),
        on_conflict="ON CONFLICT (url) DO NOTHING",
    )


def known(con: duckdb.DuckDBPyConnection, *, except_urls: list[str] | None = None) -> list[KnownArticle]:
    sql = (
        "SELECT a.article_id, a.canonical_url, a.text_hash, m.signature FROM articles a "
        "LEFT JOIN article_minhash m USING (article_id)"
    )
    if except_urls is None:
        return [KnownArticle(*row) for row in con.execute(sql).fetchall()]
    rows = con.execute(sql + " WHERE a.url NOT IN (SELECT unnest(?::VARCHAR[]))", [except_urls]).fetchall()
    return [KnownArticle(*row) for row in rows]


def _write_by_article(
    con: duckdb.DuckDBPyConnection, table: str, column: str, articles: list, *, upsert: bool
) -> None:
    """`table (article_id, column)` for the articles that have a value (replaced when `upsert`: some were
    stored before)."""
    rows = [a for a in articles if getattr(a, column) is not None]
    if not rows:
        return
    data = {"article_id": [a.article_id for a in rows], column: [getattr(a, column) for a in rows]}
    with bulk.registered(con, bulk.columns_table(data)) as name:
        con.execute(
            f"INSERT INTO {table} SELECT article_id, {column} FROM {name} "
            + (f"ON CONFLICT DO UPDATE SET {column} = excluded.{column}" if upsert else "")
        )
