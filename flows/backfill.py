"""Backfills: the story's coverage for a date range, window by window, from every kind of source.

The form Prefect shows for this flow comes from the signature: dates, an enum of the configured sources and of
the topic's languages, booleans. The enums are read when the module loads, from the sources file named by
NEWSMON_SOURCES_FILE (default config/sources.toml) and from the topic's languages.
"""

from __future__ import annotations

import hashlib
import json
import os
from datetime import date, timedelta
from enum import StrEnum
from pathlib import Path

from prefect import flow, get_run_logger
from prefect.artifacts import create_markdown_artifact, create_progress_artifact, update_progress_artifact

from tasks import clock, db, runlock
from tasks.config import CONFIG_DIR, load_settings, load_sources
from tasks.relevance import load_topic
from tasks.search import read_feeds_task, search_window_task
from tasks.sources import Window
from tasks.stages import current_run_id, fetch_and_process, host_delays, learn_and_redo, resolve_db
from tasks.store import Store


def sources_file() -> Path:
    """The sources a backfill chooses from: NEWSMON_SOURCES_FILE, else config/sources.toml."""
    return Path(os.environ.get("NEWSMON_SOURCES_FILE") or CONFIG_DIR / "sources.toml")


SourceName = StrEnum("SourceName", {s.name: s.name for s in load_sources(sources_file())})
Language = StrEnum("Language", {code: code for code in load_topic().languages})


class BackfillRequestError(ValueError):
    """The parameters ask for something impossible; nothing was done."""


def day_windows(start: date, end: date, days: int) -> list[Window]:
    """UTC days from `start` to `end`, both included, in windows of `days` days (the last may be shorter)."""
    lo, hi = clock.day_bounds(start, end)
    step = timedelta(days=days)
    windows = []
    while lo < hi:
        windows.append(Window(lo, min(lo + step, hi)))
        lo += step
    return windows


def backfill_key(sources: list[str], languages: list[str], refetch: bool, window_days: int) -> str:
    spec = json.dumps([sorted(sources), sorted(languages), refetch, window_days])
    return hashlib.sha256(spec.encode("utf-8")).hexdigest()[:16]


def check_request(start: date, end: date, window_days: int, today: date) -> None:
    if end < start:
        raise BackfillRequestError(f"end date {end} is before start date {start}: nothing to backfill")
    if end > today:
        raise BackfillRequestError(
            f"end date {end} is after today ({today}, UTC): coverage of the future cannot be fetched"
        )
    if window_days < 1:
        raise BackfillRequestError(f"window_days must be at least 1, not {window_days}")


@flow(name="backfill", log_prints=True)
def backfill(
    start: date,
    end: date,
    sources: list[SourceName] | None = None,
    languages: list[Language] | None = None,
    refetch: bool = False,
    dry_run: bool = False,
    window_days: int = 1,
    db_path: str | None = None,
    settings_file: str | None = None,
) -> dict:
    """Fetch the story's coverage published between `start` and `end` (UTC days, both included).

    Args:
        start: first day (UTC), included.
        end: last day (UTC), included; not after today.
        sources: sources to ask (default: all configured ones).
        languages: languages to keep (default: all of the topic's).
        refetch: fetch again URLs already fetched, and decide them again.
        dry_run: only discover and report what would be fetched; write nothing.
        window_days: days per window; progress is kept per window, so a restarted backfill resumes.
        db_path: DuckDB file (default: the configured one).
        settings_file: TOML settings (default: config/newsmon.toml).
    """
    logger = get_run_logger()
    try:
        check_request(start, end, window_days, clock.now().date())
    except BackfillRequestError as exc:
        logger.error("%s", exc)
        raise
    settings = load_settings(Path(settings_file) if settings_file else None)
    configured = load_sources(sources_file())
    chosen = {str(s) for s in sources} if sources else {s.name for s in configured}
    selected = [s for s in configured if s.name in chosen]
    wanted = sorted(str(lang) for lang in languages) if languages else []
    selected = [s for s in selected if not wanted or s.language is None or s.language in wanted]
    topic = load_topic(settings.resolve(settings.topic.path))
    store = Store(resolve_db(settings, db_path), lock_timeout=settings.database.lock_timeout)
    with runlock.run_lock(
        store.path, settings.database.lock_timeout, label="backfill"
    ):  # issue 16: one writer per database
        store.migrate()
        runlock.begin_run(
            store.path, settings.database.lock_timeout
        )  # issue 16: mark crashed runs, drop stale temps
        run_id = current_run_id("backfill")
        params = {
            "start": start,
            "end": end,
            "sources": sorted(chosen),
            "languages": wanted,
            "refetch": refetch,
            "dry_run": dry_run,
            "window_days": window_days,
        }
        store.start_run(run_id, "backfill", params, clock.now())

        windows = day_windows(start, end, window_days)
        published_range = clock.day_bounds(start, end)
        key = backfill_key([s.name for s in selected], wanted, refetch, window_days)
        finished = set() if dry_run else store.finished_windows(key)
        progress = create_progress_artifact(0.0, key="backfill-progress", description=f"{start}..{end}")
        rows, totals = (
            [],
            {"windows": len(windows), "resumed": 0, "candidates": 0, "new_urls": 0, "loaded": 0},
        )
        delays = host_delays(selected)
        try:
            feeds = [s for s in selected if s.kind in ("rss", "sitemap")]
            feed_items = read_feeds_task(feeds, settings) if feeds else []
            for i, window in enumerate(windows, start=1):
                if window.start in finished:
                    totals["resumed"] += 1
                    rows.append((window, "done earlier", {}, {}))
                else:
                    found = search_window_task(
                        selected, feed_items, window, topic, wanted or None, settings, store, run_id, dry_run
                    )
                    totals["candidates"] += len(found["urls"])
                    totals["new_urls"] += found["new_urls"]
                    work = {}
                    if not dry_run:
                        work, _ = fetch_and_process(
                            store,
                            settings,
                            topic,
                            delays,
                            run_id,
                            urls=found["urls"],
                            refetch=refetch,
                            learn=False,
                            published_range=published_range,
                        )
                        totals["loaded"] += work.get("status:loaded", 0)
                        store.finish_window(
                            key,
                            window.start,
                            window.end,
                            run_id,
                            {"per_source": found["per_source"], **work},
                            clock.now(),
                        )
                    rows.append((window, "dry run" if dry_run else "done", found, work))
                update_progress_artifact(progress, 100.0 * i / len(windows))
            if not dry_run:
                totals.update(learn_and_redo(store, settings, topic, run_id))
                with store.connect() as con:
                    db.build_fts_index(con)
        except BaseException as exc:
            store.finish_run(run_id, "failed", totals, {}, clock.now(), error=repr(exc)[:2000])
            raise
        store.finish_run(run_id, "completed", totals, {}, clock.now())
        if settings.database.snapshot and not dry_run:
            db.publish_snapshot(store.path, lock_timeout=settings.database.lock_timeout)
    create_markdown_artifact(
        summary_markdown(start, end, params, totals, rows),
        key="backfill-summary",
        description=f"backfill {start}..{end}",
    )
    logger.info("backfill %s..%s: %s", start, end, totals)
    return {"run_id": run_id, "db_path": str(store.path), "counts": totals}


def summary_markdown(start: date, end: date, params: dict, totals: dict, rows: list) -> str:
    lines = [
        f"# Backfill {start} .. {end}",
        "",
        f"Sources: {', '.join(params['sources'])}; languages: {', '.join(params['languages']) or 'all'}; "
        f"refetch: {params['refetch']}; dry run: {params['dry_run']}",
        "",
        "| window | status | candidates | new URLs | loaded | per source |",
        "|---|---|---|---|---|---|",
    ]
    for window, status, found, work in rows:
        per_source = ", ".join(f"{k}: {v}" for k, v in sorted(found.get("per_source", {}).items()))
        lines.append(
            f"| {window.start:%Y-%m-%d} | {status} | {len(found.get('urls', []))} | "
            f"{found.get('new_urls', '')} | {work.get('status:loaded', '')} | {per_source} |"
        )
    lines += ["", "Totals: " + ", ".join(f"{k} {v}" for k, v in totals.items())]
    return "\n".join(lines)
