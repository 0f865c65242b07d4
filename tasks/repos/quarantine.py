"""Process failures and quarantined pages (table process_failures, urls.status = 'quarantined')."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import duckdb
from tasks.quarantine import QUARANTINE_AFTER, PageFailure
from tasks.repos import bulk

_COLUMNS = ("url", "stage", "error", "run_id", "failed_at")


def record(
    con: duckdb.DuckDBPyConnection, failures: Sequence[PageFailure], run_id: str, failed_at: datetime
) -> set[str]:
    """Count each failing page once per run; set aside (quarantine) those that reached QUARANTINE_AFTER runs.

    Returns the URLs quarantined now. A page below the limit keeps its status (it is tried again
    next run); its error is in process_failures and in urls.reason.
    """
    if not failures:
        return set()
    rows = [
        {"url": f.url, "stage": f.stage, "error": f.error, "run_id": run_id, "failed_at": failed_at}
        for f in {f.url: f for f in failures}.values()
    ]
    bulk.insert(
        con,
        "process_failures",
        [
            {
                **r,
                "failures": 1,
                "first_run_id": run_id,
                "last_run_id": run_id,
                "first_failed_at": failed_at,
                "last_failed_at": failed_at,
            }
            for r in rows
        ],
        [
            "url",
            "failures",
            "stage",
            "error",
            "first_run_id",
            "last_run_id",
            "first_failed_at",
            "last_failed_at",
        ],
        on_conflict=(
            "ON CONFLICT (url) DO UPDATE SET "
            "failures = process_failures.failures + CASE WHEN process_failures.last_run_id = excluded.last_run_id "
            "THEN 0 ELSE 1 END, stage = excluded.stage, error = excluded.error, "
            "last_run_id = excluded.last_run_id, last_failed_at = excluded.last_failed_at"
        ),
    )
    quarantined = con.execute(
        "UPDATE urls SET status = CASE WHEN f.failures >= ? THEN 'quarantined' ELSE urls.status END, "
        "reason = 'process:' || f.error, updated_run_id = ? "
        "FROM process_failures f WHERE f.url = urls.url AND f.url IN (SELECT unnest(?)) "
        "RETURNING urls.url, urls.status",
        [QUARANTINE_AFTER, run_id, [r["url"] for r in rows]],
    ).fetchall()
    return {url for url, status in quarantined if status == "quarantined"}


def record_batch(
    con: duckdb.DuckDBPyConnection,
    failures: Sequence[PageFailure],
    processed: Sequence[str],
    run_id: str,
    at: datetime,
) -> set[str]:
    """One batch's failures recorded and its cleanly processed pages' old failures cleared, in one transaction."""
    con.execute("BEGIN")
    try:
        clear(con, processed)
        quarantined = record(con, failures, run_id, at)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return quarantined


def clear(con: duckdb.DuckDBPyConnection, urls: Sequence[str]) -> None:
    """Pages that processed cleanly lose their failure record (a fixed bug does not leave them counted)."""
    if urls:
        con.execute("DELETE FROM process_failures WHERE url IN (SELECT unnest(?))", [list(urls)])


def explain(con: duckdb.DuckDBPyConnection, url: str) -> dict | None:
    row = con.execute(
        "SELECT f.url, u.status, f.failures, f.stage, f.error, f.first_run_id, f.last_run_id, f.last_failed_at "
        "FROM process_failures f LEFT JOIN urls u USING (url) WHERE f.url = ?",
        [url],
    ).fetchone()
    if row is None:
        return None
    keys = ("url", "status", "failures", "stage", "error", "first_run_id", "last_run_id", "last_failed_at")
    return dict(zip(keys, row, strict=True))
