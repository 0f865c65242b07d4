"""The frontier: every canonical URL ever discovered (`urls`), its status, and every source that found it.

URL statuses and the transitions between them are defined here and nowhere else; writes that would make a
transition not listed (a URL going back from `loaded` to `fetched` because a second writer merged an old batch)
leave the row as it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

import duckdb
from tasks.models import Candidate
from tasks.repos import bulk


class UrlStatus(StrEnum):
    NEW = "new"  # discovered, never fetched
    FETCHED = "fetched"  # raw page stored, not decided yet
    FAILED = "failed"  # last fetch failed; retried by later runs while attempts are left
    FAILED_PERMANENT = "failed_permanent"  # retrying cannot help (404, robots, SSRF, attempts used up)
    OUT_OF_RANGE = (
        "out_of_range"  # on-topic but published outside the backfill that fetched it: waits, fetched
    )
    LOADED = "loaded"
    DUPLICATE = "duplicate"
    IRRELEVANT = "irrelevant"
    NO_TEXT = "no_text"
    QUARANTINED = "quarantined"  # processing raised on two runs: set aside with its error (process_failures)


DECIDED = (UrlStatus.LOADED, UrlStatus.DUPLICATE, UrlStatus.IRRELEVANT, UrlStatus.NO_TEXT)
FINAL = (*DECIDED, UrlStatus.FAILED_PERMANENT)
# A URL with a final status is never fetched again unless a backfill asks to refetch it.

_FETCHABLE = (UrlStatus.NEW, UrlStatus.FAILED, UrlStatus.FETCHED, UrlStatus.OUT_OF_RANGE)
ALLOWED_FROM: dict[UrlStatus, tuple[UrlStatus, ...]] = {
    # a fetch result: from anything that may be fetched, and from a final status when a backfill refetches
    UrlStatus.FETCHED: (*_FETCHABLE, *FINAL),
    UrlStatus.FAILED: (*_FETCHABLE, *FINAL),
    UrlStatus.FAILED_PERMANENT: (*_FETCHABLE, *FINAL),
    # a decision: about a fetched page (or one whose raw page arrived otherwise), or again about a decided one
    # (new rules, templates, a backfill that covers its day), or about a quarantined page `reprocess` retries
    # (issue 16); never about a page whose fetch failed
    **{
        s: (UrlStatus.NEW, UrlStatus.FETCHED, UrlStatus.OUT_OF_RANGE, *DECIDED, UrlStatus.QUARANTINED)
        for s in (*DECIDED, UrlStatus.OUT_OF_RANGE)
    },
}


def allowed_from_sql(target: str) -> str:
    """SQL list of the statuses `target` may be reached from."""
    return ", ".join(f"'{s}'" for s in ALLOWED_FROM[UrlStatus(target)])


def _guard_sql(column: str = "b.status") -> str:
    cases = " ".join(f"WHEN '{t}' THEN urls.status IN ({allowed_from_sql(t)})" for t in ALLOWED_FROM)
    return f"(CASE {column} {cases} ELSE false END)"


@dataclass(frozen=True)
class PendingUrl:
    url: str
    status: str  # new | failed | fetched
    source: str
    language_hint: str | None
    published_hint: datetime | None
    fetch_url: str | None = None


def add_candidates(
    con: duckdb.DuckDBPyConnection, candidates: list[Candidate], run_id: str, seen_at: datetime
) -> int:
    """Insert URLs never seen before (canonical URLs expected); returns how many were new.

    A known URL that was never fetched learns where an archived copy is, if a candidate says so.
    """
    first: dict[str, Candidate] = {}
    for c in candidates:
        first.setdefault(c.url, c)
    rows = [
        {
            "url": c.url,
            "first_seen": seen_at,
            "discovered_by": c.source,
            "first_run_id": run_id,
            "title_hint": c.title,
            "published_hint": c.published,
            "language_hint": c.language,
            "fetch_url": c.fetch_url,
            "archived_at": c.archived_at,
            "status": UrlStatus.NEW.value,
        }
        for c in first.values()
    ]
    if not rows:
        return 0
    before = con.execute("SELECT count(*) FROM urls").fetchone()[0]
    bulk.insert(con, "urls", rows, tuple(rows[0]), on_conflict="ON CONFLICT (url) DO NOTHING")
    new = con.execute("SELECT count(*) FROM urls").fetchone()[0] - before
    # a known URL learns where an archived copy is; rows that already know are not rewritten
    archived = [r for r in rows if r["fetch_url"] or r["archived_at"]]
    if archived:
        bulk.update(
            con,
            "urls",
            archived,
            key="url",
            columns=("url", "fetch_url", "archived_at"),
            set_sql="fetch_url = coalesce(urls.fetch_url, b.fetch_url), "
            "archived_at = coalesce(urls.archived_at, b.archived_at)",
        )
    return new


def record_url_sources(
    con: duckdb.DuckDBPyConnection, pairs: set[tuple[str, str]], seen_at: datetime
) -> None:
    """Every (canonical URL, source) that found it, not only the first source."""
    rows = [{"url": u, "source": s, "first_seen": seen_at} for u, s in sorted(pairs)]
    bulk.insert(
        con, "url_sources", rows, ("url", "source", "first_seen"), on_conflict="ON CONFLICT DO NOTHING"
    )


def known_urls(con: duckdb.DuckDBPyConnection, urls: list[str]) -> set[str]:
    rows = con.execute("SELECT url FROM urls WHERE url IN (SELECT unnest(?::VARCHAR[]))", [urls]).fetchall()
    return {u for (u,) in rows}


def pending(
    con: duckdb.DuckDBPyConnection, *, max_attempts: int, urls: list[str] | None = None, refetch: bool = False
) -> list[PendingUrl]:
    """URLs with no final outcome: new ones, failed ones with attempts left, fetched-but-unloaded ones.

    With `urls` (a backfill window) only those, and a page an earlier backfill left out of its range counts as
    fetched; with `refetch` as well, the given URLs are returned as new whatever their status.
    """
    columns = "url, {status}, discovered_by, language_hint, published_hint, fetch_url"
    if urls is not None and refetch:
        sql = f"SELECT {columns.format(status=repr(UrlStatus.NEW.value))} FROM urls WHERE url IN (SELECT unnest(?::VARCHAR[]))"
        params: list = [urls]
    elif urls is not None:
        status = f"CASE status WHEN '{UrlStatus.OUT_OF_RANGE}' THEN '{UrlStatus.FETCHED}' ELSE status END"
        sql = (
            f"SELECT {columns.format(status=status)} FROM urls WHERE "
            f"(status IN ('{UrlStatus.NEW}', '{UrlStatus.FETCHED}', '{UrlStatus.OUT_OF_RANGE}') "
            f"OR (status = '{UrlStatus.FAILED}' AND attempts < ?)) AND url IN (SELECT unnest(?::VARCHAR[]))"
        )
        params = [max_attempts, urls]
    else:
        sql = (
            f"SELECT {columns.format(status='status')} FROM urls WHERE "
            f"(status IN ('{UrlStatus.NEW}', '{UrlStatus.FETCHED}') OR (status = '{UrlStatus.FAILED}' AND attempts < ?))"
        )
        params = [max_attempts]
    rows = con.execute(sql + " ORDER BY url", params).fetchall()
    return [PendingUrl(*row) for row in rows]


def set_fetch_statuses(
    con: duckdb.DuckDBPyConnection, rows: list[dict], *, max_attempts: int, fetched_at: datetime, run_id: str
) -> None:
    """rows: url, status (fetched | failed | failed_permanent), reason. A failure with no attempts left is final."""
    rows = list({r["url"]: {**r, "at": fetched_at, "run_id": run_id} for r in rows}.values())
    bulk.update(
        con,
        "urls",
        rows,
        key="url",
        columns=("url", "status", "reason", "at", "run_id"),
        set_sql=f"status = CASE WHEN b.status = '{UrlStatus.FAILED}' AND urls.attempts + 1 >= {int(max_attempts)} "
        f"THEN '{UrlStatus.FAILED_PERMANENT}' ELSE b.status END, reason = b.reason, attempts = urls.attempts + 1, "
        "last_fetch_at = b.at, updated_run_id = b.run_id",
    )


def defer(con: duckdb.DuckDBPyConnection, rows: list[dict], run_id: str) -> None:
    """rows: url, reason: pages not requested (a budget ran out); status and attempts stay as they were."""
    rows = list({r["url"]: {**r, "run_id": run_id} for r in rows}.values())
    bulk.update(
        con,
        "urls",
        rows,
        key="url",
        columns=("url", "reason", "run_id"),
        set_sql="reason = b.reason, updated_run_id = b.run_id",
    )


def set_outcomes(con: duckdb.DuckDBPyConnection, rows: list[dict], run_id: str) -> None:
    """rows: url, status, reason, relevance, article_id: the decision about each page."""
    rows = list({r["url"]: {**r, "run_id": run_id} for r in rows}.values())
    if not rows:
        return
    with bulk.registered(
        con, bulk.arrow_table(rows, ("url", "status", "reason", "relevance", "article_id", "run_id"))
    ) as name:
        con.execute(
            f"UPDATE urls SET status = b.status, reason = b.reason, relevance = b.relevance, "
            f"article_id = b.article_id, updated_run_id = b.run_id FROM {name} AS b "
            f"WHERE urls.url = b.url AND {_guard_sql()}"
        )


def processed_urls(
    con: duckdb.DuckDBPyConnection,
    *,
    start: date | None = None,
    end: date | None = None,
    site: str | None = None,
    quarantined: bool = False,
) -> list[str]:
    """Stored raw pages already decided, by publication day (both ends included) and site (name or host[:port]).

    With `quarantined`, the pages set aside after failing on two runs instead (their raw page kept).

    The publication day is the publisher's local day (`page_dates.published_day`), as coverage counts it; a page
    with no date row falls back on the UTC day of its publication time or its source's date."""
    decided = ", ".join(f"'{s}'" for s in ((UrlStatus.QUARANTINED,) if quarantined else DECIDED))
    sql = (
        "SELECT r.url FROM raw_pages r JOIN urls u USING (url) LEFT JOIN articles a ON a.url = r.url "
        f"LEFT JOIN page_dates d ON d.url = r.url WHERE u.status IN ({decided})"
    )
    params: list = []
    day = (
        "coalesce(d.published_day, CAST(timezone('UTC', coalesce(a.published_at, u.published_hint)) AS DATE))"
    )
    if start is not None:
        sql += f" AND {day} >= ?"
        params.append(start)
    if end is not None:
        sql += f" AND {day} <= ?"
        params.append(end)
    if site:
        sql += " AND (a.site = ? OR split_part(split_part(r.url, '://', 2), '/', 1) = ?)"
        params += [site, site]
    return [u for (u,) in con.execute(sql + " ORDER BY r.url", params).fetchall()]
