"""Source state: what each source keeps between runs (listing validators, GKG files done, unresolved links).

Plain functions on an open connection `con`, so the writes join the caller's transaction. Reads join the
sources asked for (and, for GKG files, the window's file names): never the whole archive.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta

import pyarrow as pa

import duckdb
from tasks.models import Source
from tasks.repos import bulk
from tasks.sources.state import SourceState

# GKG file names start with their 15-minute slot, YYYYMMDDHHMMSS, so a window's files are a name range.
_SLOT = timedelta(minutes=15)


def load_states(
    con: duckdb.DuckDBPyConnection,
    sources: Sequence[Source],
    window_start: datetime | None = None,
    window_end: datetime | None = None,
) -> dict[str, SourceState]:
    """A fresh SourceState per source with what earlier runs stored (sources without a row start empty)."""
    states = {s.name: SourceState() for s in sources}
    if not states:
        return states
    names = pa.table({"name": pa.array(list(states), pa.string())})
    with bulk.registered(con, names) as batch:
        rows = con.execute(
            f"SELECT s.name, s.etag, s.last_modified, s.searched_until FROM sources s JOIN {batch} b ON s.name = b.name"
        ).fetchall()
        for name, etag, last_modified, searched_until in rows:
            states[name].etag, states[name].last_modified = etag, last_modified
            states[name].searched_until = searched_until
        marks = con.execute(
            f"SELECT m.source, m.language, m.searched_until FROM search_marks m JOIN {batch} b ON m.source = b.name"
        ).fetchall()
        for source, language, searched_until in marks:
            states[source].language_marks[language] = searched_until
        query = f"SELECT g.source, g.file FROM gkg_files g JOIN {batch} b ON g.source = b.name"
        params: list[str] = []
        if window_start is not None and window_end is not None:
            query += " WHERE g.file >= ? AND g.file < ?"
            params = [
                (window_start - _SLOT).strftime("%Y%m%d%H%M%S"),
                (window_end + _SLOT).strftime("%Y%m%d%H%M%S"),
            ]
        for source, file in con.execute(query, params).fetchall():
            states[source].done.add(file)
    return states


_CHECKS = pa.schema(
    [
        ("name", pa.string()),
        ("checked_at", pa.timestamp("us", tz="UTC")),
        ("status", pa.int32()),
        ("error", pa.string()),
        ("etag", pa.string()),
        ("last_modified", pa.string()),
        ("items", pa.int64()),
        ("skipped", pa.string()),
    ]
)
_MARKS = pa.schema([("name", pa.string()), ("searched_until", pa.timestamp("us", tz="UTC"))])
_LANGUAGE_MARKS = pa.schema(
    [
        ("source", pa.string()),
        ("language", pa.string()),
        ("searched_until", pa.timestamp("us", tz="UTC")),
        ("run_id", pa.string()),
        ("updated_at", pa.timestamp("us", tz="UTC")),
    ]
)
_FILES = pa.schema(
    [
        ("file", pa.string()),
        ("source", pa.string()),
        ("finished_at", pa.timestamp("us", tz="UTC")),
        ("run_id", pa.string()),
    ]
)
_UNRESOLVED = pa.schema(
    [
        ("url", pa.string()),
        ("source", pa.string()),
        ("title", pa.string()),
        ("outlet", pa.string()),
        ("language", pa.string()),
        ("published", pa.timestamp("us", tz="UTC")),
        ("why", pa.string()),
        ("run_id", pa.string()),
        ("seen_at", pa.timestamp("us", tz="UTC")),
    ]
)


def save_states(
    con: duckdb.DuckDBPyConnection, states: Mapping[str, SourceState], run_id: str, at: datetime
) -> None:
    """Store what the streams changed: one statement per table for all sources.

    Listings that were checked get their status, error, validators (a missing ETag keeps the stored one),
    failure count and skip counts; search sources that answered a nightly window move their mark
    (`searched_until`) to its end, and each language that answered moves its own (`search_marks`); GKG files newly done and links left unresolved are added.
    """
    checks = [
        {
            "name": name,
            "checked_at": at,
            "status": s.status,
            "error": s.error,
            "etag": s.etag,
            "last_modified": s.last_modified,
            "items": s.items,
            "skipped": json.dumps(dict(sorted(s.skipped.items()))) if s.skipped else None,
        }
        for name, s in states.items()
        if s.checked
    ]
    bulk.update(
        con,
        "sources",
        checks,
        key="name",
        set_sql=(
            "last_checked_at = b.checked_at, last_status = b.status, last_error = b.error, "
            "etag = coalesce(b.etag, sources.etag), last_modified = coalesce(b.last_modified, sources.last_modified), "
            "failures = CASE WHEN b.error IS NULL THEN 0 ELSE sources.failures + 1 END, "
            "items_seen = sources.items_seen + b.items, last_skipped = b.skipped::JSON"
        ),
        columns=_CHECKS.names,
        schema=_CHECKS,
    )
    marks = [{"name": name, "searched_until": s.searched_to} for name, s in states.items() if s.searched_to]
    bulk.update(
        con,
        "sources",
        marks,
        key="name",
        set_sql="searched_until = b.searched_until",
        columns=_MARKS.names,
        schema=_MARKS,
    )
    language_marks = [
        {"source": name, "language": language, "searched_until": until, "run_id": run_id, "updated_at": at}
        for name, s in states.items()
        for language, until in sorted(s.searched_to_languages.items())
    ]
    bulk.insert(
        con,
        "search_marks",
        language_marks,
        _LANGUAGE_MARKS.names,
        on_conflict=(
            "ON CONFLICT DO UPDATE SET searched_until = excluded.searched_until, run_id = excluded.run_id, "
            "updated_at = excluded.updated_at"
        ),
        schema=_LANGUAGE_MARKS,
    )
    files = [
        {"file": f, "source": name, "finished_at": at, "run_id": run_id}
        for name, s in states.items()
        for f in dict.fromkeys(s.finished)
    ]
    bulk.insert(con, "gkg_files", files, _FILES.names, on_conflict="ON CONFLICT DO NOTHING", schema=_FILES)
    unresolved = {
        (u["url"], name): {
            **{c: u.get(c) for c in _UNRESOLVED.names},
            "published": _moment(u.get("published")),
            "source": name,
            "run_id": run_id,
            "seen_at": at,
        }
        for name, s in states.items()
        for u in s.unresolved
        if u.get("url")
    }
    bulk.insert(
        con,
        "unresolved_links",
        list(unresolved.values()),
        _UNRESOLVED.names,
        on_conflict=(
            "ON CONFLICT DO UPDATE SET why = excluded.why, run_id = excluded.run_id, seen_at = excluded.seen_at"
        ),
        schema=_UNRESOLVED,
    )


def _moment(value: object) -> datetime | None:
    if isinstance(value, datetime):
        return value
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            return None
    return None
