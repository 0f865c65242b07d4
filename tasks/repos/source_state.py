"""Sources and their incremental state: feed validators and health, GKG files read, links left unresolved."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

import duckdb
from tasks.models import Source
from tasks.repos import bulk


def sync(con: duckdb.DuckDBPyConnection, sources: Iterable[Source]) -> None:
    rows = [
        {"name": s.name, "kind": s.kind, "url": s.url, "language": s.language, "delay": s.delay}
        for s in sources
    ]
    bulk.insert(
        con,
        "sources",
        rows,
        ("name", "kind", "url", "language", "delay"),
        on_conflict="ON CONFLICT (name) DO UPDATE SET kind = excluded.kind, url = excluded.url, "
        "language = excluded.language, delay = excluded.delay, "
        # a moved feed starts its conditional-GET state afresh
        "etag = CASE WHEN sources.url = excluded.url THEN sources.etag END, "
        "last_modified = CASE WHEN sources.url = excluded.url THEN sources.last_modified END",
    )


def states(con: duckdb.DuckDBPyConnection) -> dict[str, tuple[str | None, str | None]]:
    rows = con.execute("SELECT name, etag, last_modified FROM sources").fetchall()
    return {name: (etag, lm) for name, etag, lm in rows}


def record_checks(con: duckdb.DuckDBPyConnection, checks: list[dict], checked_at: datetime) -> None:
    """checks: name, status, error, etag, last_modified, items (a 304 keeps the stored validators)."""
    rows = {c["name"]: {**c, "items": c.get("items", 0), "at": checked_at} for c in checks}
    bulk.update(
        con,
        "sources",
        list(rows.values()),
        key="name",
        columns=("name", "status", "error", "etag", "last_modified", "items", "at"),
        set_sql="last_checked_at = b.at, last_status = b.status, last_error = b.error, "
        "etag = coalesce(b.etag, sources.etag), last_modified = coalesce(b.last_modified, sources.last_modified), "
        "failures = CASE WHEN b.error IS NULL THEN 0 ELSE sources.failures + 1 END, "
        "items_seen = sources.items_seen + b.items",
    )


def gkg_done(con: duckdb.DuckDBPyConnection) -> set[str]:
    return {f for (f,) in con.execute("SELECT file FROM gkg_files").fetchall()}


def record_search(
    con: duckdb.DuckDBPyConnection,
    source: str,
    finished_files: list[str],
    unresolved: list[dict],
    run_id: str,
    at: datetime,
) -> None:
    """What a search source finished for good (GKG files) and what it could not resolve."""
    bulk.insert(
        con,
        "gkg_files",
        [
            {"file": f, "source": source, "finished_at": at, "run_id": run_id}
            for f in dict.fromkeys(finished_files)
        ],
        ("file", "source", "finished_at", "run_id"),
        on_conflict="ON CONFLICT DO NOTHING",
    )
    links = {u["url"]: u for u in unresolved if u.get("url")}
    bulk.insert(
        con,
        "unresolved_links",
        [{**u, "source": source, "run_id": run_id, "seen_at": at} for u in links.values()],
        ("url", "source", "title", "outlet", "language", "published", "why", "run_id", "seen_at"),
        on_conflict="ON CONFLICT DO UPDATE SET why = excluded.why, run_id = excluded.run_id, "
        "seen_at = excluded.seen_at",
    )
