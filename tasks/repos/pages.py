"""Fetch attempts (`fetches`) and raw pages (`raw_pages`): what was asked for and what came back."""

from __future__ import annotations

import hashlib
import zlib
from datetime import datetime

import duckdb
from tasks.models import FetchResult, RawPage
from tasks.repos import bulk, frontier, raw_bodies
from tasks.repos.frontier import UrlStatus

FETCH_COLUMNS = (
    "url", "run_id", "attempt", "request_url", "status", "bytes", "elapsed_ms", "error", "etag", "last_modified",
    "fetched_at",
)  # fmt: skip
RAW_COLUMNS = (
    "url", "final_url", "status", "content_type", "encoding", "content_hash", "fetched_at", "run_id", "html_zlib",
)  # fmt: skip


def save_fetches(
    con: duckdb.DuckDBPyConnection,
    results: list[FetchResult],
    run_id: str,
    fetched_at: datetime,
    *,
    max_attempts: int,
) -> None:
    """Every attempt, every raw page and every URL's new status (inside the caller's transaction)."""
    attempts, raws, statuses, deferred = [], [], [], []
    for r in results:
        for i, a in enumerate(r.attempts, start=1):
            last = i == len(r.attempts)
            attempts.append(
                {
                    "url": r.url,
                    "run_id": run_id,
                    "attempt": i,
                    "request_url": a.url,
                    "status": a.status,
                    "bytes": r.bytes if last else None,
                    "elapsed_ms": a.elapsed_ms,
                    "error": a.error,
                    "etag": r.etag if last else None,
                    "last_modified": r.last_modified if last else None,
                    "fetched_at": fetched_at,
                }
            )
        if not r.attempts:  # refused before any request (robots, SSRF guard, scheme)
            attempts.append(
                {"url": r.url, "run_id": run_id, "attempt": 1, "request_url": r.url, "elapsed_ms": 0,
                 "error": r.error, "fetched_at": fetched_at}
            )  # fmt: skip
        if r.error in ("budget", "host_down") and not r.attempts:
            # not requested: the host's or the batch's budget ran out first (issue 16), or the host stopped
            # accepting connections; no attempt is used
            deferred.append({"url": r.url, "reason": r.error})
        elif r.ok and r.text is not None:
            raws.append(
                {
                    "url": r.url,
                    "final_url": r.final_url,
                    "status": r.status,
                    "content_type": r.content_type,
                    "encoding": r.encoding,
                    "content_hash": hashlib.sha256(r.body or b"").hexdigest(),
                    "fetched_at": fetched_at,
                    "run_id": run_id,
                    "html_zlib": zlib.compress(r.text.encode("utf-8"), 6),
                }
            )
            statuses.append({"url": r.url, "status": UrlStatus.FETCHED.value, "reason": None})
        else:
            status = UrlStatus.FAILED_PERMANENT if r.permanent else UrlStatus.FAILED
            statuses.append({"url": r.url, "status": status.value, "reason": r.error or "error"})
    bulk.insert(con, "fetches", attempts, FETCH_COLUMNS)
    raws = list({row["url"]: row for row in raws}.values())
    bulk.insert(
        con,
        "raw_pages",
        raws,
        RAW_COLUMNS,
        on_conflict="ON CONFLICT (url) DO UPDATE SET final_url = excluded.final_url, status = excluded.status, "
        "content_type = excluded.content_type, encoding = excluded.encoding, "
        "content_hash = excluded.content_hash, fetched_at = excluded.fetched_at, run_id = excluded.run_id, "
        "html_zlib = excluded.html_zlib",
    )
    raw_bodies.save(con, results, run_id, fetched_at)  # issue 16: body bytes kept beside the HTML
    frontier.set_fetch_statuses(
        con, statuses, max_attempts=max_attempts, fetched_at=fetched_at, run_id=run_id
    )
    frontier.defer(con, deferred, run_id)


def raw_pages(con: duckdb.DuckDBPyConnection, urls: list[str]) -> list[RawPage]:
    """The stored pages of `urls`, with what discovery said of them, in URL order. Looked up by key in both
    tables: a join or a semi-join on a list of URLs reads every stored page's body."""
    if not urls:
        return []
    found = bulk.lookup(con, "SELECT url, final_url, html_zlib, fetched_at FROM raw_pages", "url", urls)
    hints = {
        url: rest
        for url, *rest in bulk.lookup(
            con,
            "SELECT url, discovered_by, language_hint, published_hint, archived_at FROM urls",
            "url",
            [r[0] for r in found],
        )
    }
    rows = [(*r, *hints.get(r[0], (None, None, None, None))) for r in sorted(found)]
    return [
        RawPage(
            url=url,
            final_url=final,
            html=zlib.decompress(blob).decode("utf-8"),
            fetched_at=at,
            source=src,
            language_hint=lang,
            published_hint=pub,
            archived_at=archived,  # the archive's capture: a date signal (issue 14)
        )
        for url, final, blob, at, src, lang, pub, archived in rows
    ]
