"""Finished backfill windows: what a restarted backfill skips."""

from __future__ import annotations

import json
from datetime import datetime

import duckdb


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
