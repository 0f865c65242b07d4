"""The configured sources, kept in `sources` (their incremental state is tasks/repos/sources.py's)."""

from __future__ import annotations

from collections.abc import Iterable

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
