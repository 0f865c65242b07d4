"""Finished backfill windows (what a restarted backfill skips) and the sources that answered for each window
(what a retried window does not ask again)."""

from __future__ import annotations

import json
from datetime import datetime

import duckdb
from tasks.repos import bulk


def finished(con: duckdb.DuckDBPyConnection, key: str) -> set[datetime]:
    rows = con.execute("SELECT window_start FROM backfill_windows WHERE backfill_key = ?", [key]).fetchall()
    return {start for (start,) in rows}


def finish(
    con: duckdb.DuckDBPyConnection,
    key: str,
    start: datetime,
    end: datetime,
    run_id: str,
    counts: dict,
    at: datetime,
) -> None:
    con.execute(
        "INSERT INTO backfill_windows VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO UPDATE SET "
        "finished_at = excluded.finished_at, run_id = excluded.run_id, counts = excluded.counts",
        [key, start, end, at, run_id, json.dumps(counts, default=str)],
    )


def answered(con: duckdb.DuckDBPyConnection, key: str, start: datetime) -> set[str]:
    rows = con.execute(
        "SELECT source FROM backfill_window_sources WHERE backfill_key = ? AND window_start = ?", [key, start]
    ).fetchall()
    return {source for (source,) in rows}


def record_answered(
    con: duckdb.DuckDBPyConnection,
    key: str,
    start: datetime,
    candidates: dict[str, int],
    run_id: str,
    at: datetime,
) -> int:
    """The sources in `candidates` (name -> candidates given) answered for the window."""
    rows = [
        {"backfill_key": key, "window_start": start, "source": source, "candidates": n, "answered_at": at,
         "run_id": run_id}
        for source, n in sorted(candidates.items())
    ]  # fmt: skip
    return bulk.insert(
        con,
        "backfill_window_sources",
        rows,
        ["backfill_key", "window_start", "source", "candidates", "answered_at", "run_id"],
        on_conflict="ON CONFLICT DO UPDATE SET candidates = excluded.candidates, "
        "answered_at = excluded.answered_at, run_id = excluded.run_id",
    )
