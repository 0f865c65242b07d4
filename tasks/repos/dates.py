"""SQL for publication dates (`page_dates`, `date_signals`): plain functions taking an open connection."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

import pyarrow as pa

import duckdb
from tasks.repos import bulk

_PAGE_COLUMNS = (
    "url",
    "article_id",
    "published_at",
    "published_local",
    "utc_offset_min",
    "published_day",
    "modified_at",
    "rule",
    "confidence",
    "disagreement_days",
    "flagged",
    "run_id",
    "decided_at",
)
_SIGNAL_COLUMNS = (
    "url",
    "position",
    "kind",
    "role",
    "day",
    "signal_at",
    "local_time",
    "utc_offset_min",
    "raw",
    "reason",
)
_TZ = pa.timestamp("us", tz="UTC")
_PAGE_SCHEMA = pa.schema(
    [
        ("url", pa.string()),
        ("article_id", pa.string()),
        ("published_at", _TZ),
        ("published_local", pa.timestamp("us")),
        ("utc_offset_min", pa.int32()),
        ("published_day", pa.date32()),
        ("modified_at", _TZ),
        ("rule", pa.string()),
        ("confidence", pa.float64()),
        ("disagreement_days", pa.int32()),
        ("flagged", pa.bool_()),
        ("run_id", pa.string()),
        ("decided_at", _TZ),
    ]
)
_SIGNAL_SCHEMA = pa.schema(
    [
        ("url", pa.string()),
        ("position", pa.int32()),
        ("kind", pa.string()),
        ("role", pa.string()),
        ("day", pa.date32()),
        ("signal_at", _TZ),
        ("local_time", pa.timestamp("us")),
        ("utc_offset_min", pa.int32()),
        ("raw", pa.string()),
        ("reason", pa.string()),
    ]
)


def rows(outcomes: Sequence, run_id: str, decided_at: datetime) -> tuple[list[dict], list[dict]]:
    """The `page_dates` and `date_signals` rows of a batch's outcomes (those that carry a DateChoice)."""
    pages, signals = [], []
    for o in outcomes:
        choice = getattr(o, "dates", None)
        if choice is None:
            continue
        chosen = choice.signal
        pages.append(
            {
                "url": o.url,
                "article_id": o.article_id,
                "published_at": choice.published_at,
                "published_local": chosen.local if chosen else None,
                "utc_offset_min": chosen.offset_min if chosen else None,
                "published_day": choice.day,
                "modified_at": choice.modified.instant if choice.modified else None,
                "rule": choice.rule,
                "confidence": choice.confidence,
                "disagreement_days": choice.disagreement_days,
                "flagged": choice.disagrees,
                "run_id": run_id,
                "decided_at": decided_at,
            }
        )
        for i, s in enumerate(choice.signals):
            signals.append(
                {
                    "url": o.url,
                    "position": i,
                    "kind": s.kind,
                    "role": s.role,
                    "day": s.day,
                    "signal_at": s.at,
                    "local_time": s.local,
                    "utc_offset_min": s.offset_min,
                    "raw": s.raw[:200],
                    "reason": None,
                }
            )
        base = len(choice.signals)
        for j, (kind, raw, reason) in enumerate(choice.dropped):
            signals.append(
                {
                    "url": o.url,
                    "position": base + j,
                    "kind": kind,
                    "role": "dropped",
                    "day": None,
                    "signal_at": None,
                    "local_time": None,
                    "utc_offset_min": None,
                    "raw": raw,
                    "reason": reason,
                }
            )
    return pages, signals


def save(con: duckdb.DuckDBPyConnection, outcomes: Sequence, run_id: str, decided_at: datetime) -> int:
    """Replace the date rows of these pages (one statement per table); returns the pages written."""
    pages, signals = rows(outcomes, run_id, decided_at)
    if not pages:
        return 0
    # pages dated before (found by page_dates' key) lose their rows; a new page has none to lose
    dated = sorted(bulk.stored(con, "page_dates", "url", [p["url"] for p in pages]))
    if dated:
        con.execute(f"DELETE FROM date_signals WHERE url IN ({bulk.literals(dated)})")
        con.execute(f"DELETE FROM page_dates WHERE url IN ({bulk.literals(dated)})")
    bulk.insert(con, "page_dates", pages, _PAGE_COLUMNS, schema=_PAGE_SCHEMA)
    bulk.insert(con, "date_signals", signals, _SIGNAL_COLUMNS, schema=_SIGNAL_SCHEMA)
    return len(pages)


def save_outcomes(store, outcomes: Sequence, run_id: str, decided_at: datetime) -> int:
    """`save` in one transaction on `store` (the hook after a batch is loaded)."""
    with store.writing() as con:
        return save(con, outcomes, run_id, decided_at)


def summary(outcomes: Sequence) -> dict:
    """Run-summary counts: pages whose date signals disagree by more than a day, dates capped at the first
    capture, date values dropped as unreadable or out of range, pages with no date."""
    choices = [o.dates for o in outcomes if getattr(o, "dates", None) is not None]
    return {
        "date_disagreements": sum(1 for c in choices if c.disagrees),
        "date_capped": sum(1 for c in choices if c.rule.startswith("capped:")),
        "date_dropped": sum(len(c.dropped) for c in choices),
        "date_missing": sum(1 for c in choices if c.signal is None),
    }


def urls_for_days(
    con: duckdb.DuckDBPyConnection,
    start: date,
    end: date,
    urls: Sequence[str] | None = None,
    *,
    status: str | None = None,
) -> list[str]:
    """Pages any of whose published signals (or the chosen day) names a day in [start, end], both included.

    With `urls`, only those (a batch's keys) are looked up; with `status`, only URLs in that status (`urls`)."""
    sql = (
        "SELECT DISTINCT url FROM ("
        " SELECT url, published_day AS day FROM page_dates UNION ALL"
        " SELECT url, day FROM date_signals WHERE role = 'published') WHERE day BETWEEN ? AND ?"
    )
    params: list = [start, end]
    if urls is not None:
        sql += " AND url IN (SELECT unnest(?))"
        params.append(list(urls))
    if status is not None:
        sql += " AND url IN (SELECT url FROM urls WHERE status = ?)"
        params.append(status)
    return [u for (u,) in con.execute(sql + " ORDER BY url", params).fetchall()]


def explain(con: duckdb.DuckDBPyConnection, url: str) -> tuple[dict | None, list[dict]]:
    """The chosen date of one page and its signals, in order of trust (for `newsmon explain`)."""
    cols = ", ".join(_PAGE_COLUMNS)
    row = con.execute(f"SELECT {cols} FROM page_dates WHERE url = ?", [url]).fetchone()
    chosen = dict(zip(_PAGE_COLUMNS, row, strict=True)) if row else None
    sig_cols = ", ".join(_SIGNAL_COLUMNS)
    found = con.execute(
        f"SELECT {sig_cols} FROM date_signals WHERE url = ? ORDER BY position", [url]
    ).fetchall()
    return chosen, [dict(zip(_SIGNAL_COLUMNS, r, strict=True)) for r in found]
