"""The `runs` table: one row per flow run, keyed by its Prefect flow run id."""

from __future__ import annotations

import json
from datetime import datetime

import duckdb


def start(con: duckdb.DuckDBPyConnection, run_id: str, flow: str, params: dict, started_at: datetime) -> None:
    con.execute(
        "INSERT INTO runs (run_id, flow, params, started_at, status) VALUES (?, ?, ?, ?, 'running') "
        "ON CONFLICT (run_id) DO UPDATE SET status = 'running', started_at = excluded.started_at",
        [run_id, flow, json.dumps(params, default=str), started_at],
    )


def finish(
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    status: str,
    counts: dict,
    drops: dict,
    finished_at: datetime,
    error: str | None = None,
) -> None:
    con.execute(
        "UPDATE runs SET status = ?, counts = ?, drops = ?, finished_at = ?, error = ? WHERE run_id = ?",
        [status, json.dumps(counts, default=str), json.dumps(drops), finished_at, error, run_id],
    )
