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

from flows.lifecycle import run_lifecycle
from flows.pipeline import fetch_and_process, learn_and_redo
from tasks import clock, progress
from tasks.config import CONFIG_DIR, host_delays, load_sources
from tasks.relevance.topic import load_topic
from tasks.search import read_feeds_task, search_window_task
from tasks.sources import windowed
from tasks.sources.window import Window
from tasks.summaries import BackfillFailedError, backfill_failures, backfill_summary_markdown


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
    configured = load_sources(sources_file())
    chosen = {str(s) for s in sources} if sources else {s.name for s in configured}
    selected = [s for s in configured if s.name in chosen]
    wanted = sorted(str(lang) for lang in languages) if languages else []
    selected = [s for s in selected if not wanted or s.language is None or s.language in wanted]
    params = {
        "start": start,
        "end": end,
        "sources": sorted(chosen),
        "languages": wanted,
        "refetch": refetch,
        "dry_run": dry_run,
        "window_days": window_days,
    }
    windows = day_windows(start, end, window_days)
    published_range = clock.day_bounds(start, end)
    key = backfill_key([s.name for s in selected], wanted, refetch, window_days)
    rows, totals = [], {"windows": len(windows), "resumed": 0, "candidates": 0, "new_urls": 0, "loaded": 0}
    totals["by_date_signals"] = 0  # stored pages found by a day their date signals name
    delays = host_delays(selected)
    with run_lifecycle("backfill", params, db_path=db_path, settings_file=settings_file) as run:
        store, settings, topic = run.store, run.settings, run.topic
        run.publish = not dry_run
        finished = set() if dry_run else store.finished_windows(key)
        artifact = create_progress_artifact(0.0, key="backfill-progress", description=f"{start}..{end}")
        progress.start("windows", len(windows))
        feeds = [s for s in selected if not windowed(s)]
        feed_items, feed_failed = read_feeds_task(feeds, settings) if feeds else ([], {})
        for i, window in enumerate(windows, start=1):
            if window.start in finished:
                totals["resumed"] += 1
                rows.append((window, "done earlier", {}, {}))
            else:
                # a window an earlier run left unfinished asks again only the sources that did not answer then
                answered = set() if dry_run else store.answered_sources(key, window.start)
                ask = [s for s in selected if s.name not in answered]
                found = search_window_task(
                    ask, feed_items, window, topic, wanted or None, settings, store, run.run_id, dry_run
                )
                # a failed source (feeds included) leaves the window unfinished
                feeds_down = {name: why for name, why in feed_failed.items() if name not in answered}
                found["failed"] = {**feeds_down, **found["failed"]}
                found["answered_earlier"] = sorted(answered)
                totals["candidates"] += len(found["urls"])
                totals["new_urls"] += found["new_urls"]
                work = {}
                if not dry_run:
                    run.changed(articles=False)
                    # pages an earlier backfill left out of its range whose date signals name a day of this window
                    waiting = store.urls_for_days(
                        window.start.date(), (window.end - timedelta(days=1)).date(), status="out_of_range"
                    )
                    waiting = [u for u in waiting if u not in set(found["urls"])]
                    totals["by_date_signals"] += len(waiting)
                    work, _ = fetch_and_process(
                        run,
                        delays,
                        urls=[*found["urls"], *waiting],
                        refetch=refetch,
                        learn=False,
                        published_range=published_range,
                    )
                    totals["loaded"] += work.get("status:loaded", 0)
                    now_answered = {
                        s.name: found["per_source"].get(s.name, 0)
                        for s in ask
                        if s.name not in found["failed"]
                    }
                    store.record_answered(key, window.start, now_answered, run.run_id, clock.now())
                if not dry_run and not found["failed"]:
                    store.finish_window(
                        key,
                        window.start,
                        window.end,
                        run.run_id,
                        {"per_source": found["per_source"], **work},
                        clock.now(),
                    )
                status = "failed" if found["failed"] else "dry run" if dry_run else "done"
                rows.append((window, status, found, work))
            update_progress_artifact(artifact, 100.0 * i / len(windows))
            progress.advance("windows")
            run.counts.clear()
            run.counts.update(totals)
        if not dry_run:
            totals.update(learn_and_redo(run))
        run.counts.clear()
        run.counts.update(totals)
        failed = backfill_failures(rows)  # windows left unfinished: retried by the next backfill
        totals["failed_windows"] = len(failed)
        create_markdown_artifact(
            backfill_summary_markdown(start, end, params, totals, rows, str(store.path)),
            key="backfill-summary",
            description=f"backfill {start}..{end}",
        )
        if failed and len(failed) == len(windows) - totals["resumed"]:
            raise BackfillFailedError(f"every window failed ({len(failed)}): " + "; ".join(failed[:3]))
    logger.info("backfill %s..%s: %s", start, end, totals)
    return {"run_id": run.run_id, "db_path": str(run.store.path), "counts": totals, "failed_windows": failed}
