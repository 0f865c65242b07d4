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
    con.execute("DELETE FROM articles WHERE url IN (SELECT unnest(?::VARCHAR[]))", [gone])


def write(con: duckdb.DuckDBPyConnection, outcomes: list[Outcome], run_id: str, loaded_at: datetime) -> None:
    """Articles (upserted), their removed snippets (replaced), signatures and sightings of one batch."""
    articles = list({o.article.article_id: o.article for o in outcomes if o.article is not None}.values())
    rows = [
        {
            **{c: getattr(a, c, None) for c in ARTICLE_COLUMNS},
            "matched_terms": json.dumps(a.matched_terms, ensure_ascii=False),
            "first_run_id": run_id,
            "last_run_id": run_id,
            "loaded_at": loaded_at,
        }
        for a in articles
    ]
    bulk.insert(
        con,
        "articles",
        rows,
        ARTICLE_COLUMNS,
        on_conflict="ON CONFLICT (article_id) DO UPDATE SET "
        + ", ".join(f"{c} = excluded.{c}" for c in _UPDATED),
    )
    ids = [a.article_id for a in articles]
    if ids:
        con.execute(
            "DELETE FROM boilerplate_removed WHERE article_id IN (SELECT unnest(?::VARCHAR[]))", [ids]
        )
    bulk.insert(
        con,
        "article_minhash",
        [{"article_id": a.article_id, "signature": a.signature} for a in articles if a.signature is not None],
        ("article_id", "signature"),
        on_conflict="ON CONFLICT DO UPDATE SET signature = excluded.signature",
    )
    removed = {
        (o.article_id, r.position, r.snippet): {"article_id": o.article_id, "position": r.position, "rule": r.rule,
                                                "snippet": r.snippet}
        for o in outcomes
        if o.article is not None
        for r in o.removed
    }  # fmt: skip
    bulk.insert(
        con,
        "boilerplate_removed",
        list(removed.values()),
        ("article_id", "position", "rule", "snippet"),
        on_conflict="ON CONFLICT DO NOTHING",
    )
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
