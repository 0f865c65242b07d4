"""The nightly run: discover -> fetch -> extract/clean/score/dedupe -> load, in batches, recorded as a run."""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path

from prefect import flow, get_run_logger

from tasks import clock, db
from tasks.config import load_settings, load_sources
from tasks.relevance import load_topic
from tasks.repos import languages  # issue 13
from tasks.stages import (
    current_run_id,
    discover_task,
    fetch_and_process,
    host_delays,
    merge_staged_task,
    resolve_db,
)
from tasks.store import Store


def _add(total: Counter, part: dict) -> None:
    for key, value in part.items():
        if isinstance(value, int):
            total[key] += value


@flow(name="nightly", log_prints=True)
def nightly(
    db_path: str | None = None,
    sources_file: str | None = None,
    settings_file: str | None = None,
    only_sources: list[str] | None = None,
) -> dict:
    """Discover new articles from the configured sources, fetch, clean and load them.

    Args:
        db_path: DuckDB file to write (default: [database].path of the settings).
        sources_file: TOML file of sources (default: config/sources.toml).
        settings_file: TOML settings (default: config/newsmon.toml).
        only_sources: restrict the run to these source names.
    """
    logger = get_run_logger()
    settings = load_settings(Path(settings_file) if settings_file else None)
    sources = load_sources(Path(sources_file) if sources_file else None)
    if only_sources:
        unknown = sorted(set(only_sources) - {s.name for s in sources})
        if unknown:
            raise ValueError(f"unknown sources: {', '.join(unknown)}")
        sources = [s for s in sources if s.name in only_sources]
    topic = load_topic(settings.resolve(settings.topic.path))
    store = Store(resolve_db(settings, db_path), lock_timeout=settings.database.lock_timeout)
    store.migrate()
    run_id = current_run_id("nightly")
    params = {"db_path": str(store.path), "sources": [s.name for s in sources]}
    store.start_run(run_id, "nightly", params, clock.now())

    started = time.monotonic()
    counts: Counter = Counter()
    drops: Counter = Counter()
    try:
        counts["staged_merged"] = merge_staged_task(store, settings)
        found = discover_task(sources, store, settings, run_id)
        _add(counts, {k: found[k] for k in ("links", "distinct", "new_urls")})
        drops.update({f"discover:{k}": v for k, v in found["drops"].items()})
        drops.update({f"source:{name}": 1 for name in found["unreachable"]})

        work, work_drops = fetch_and_process(store, settings, topic, host_delays(sources), run_id)
        counts.update(work)
        drops.update(work_drops)

        with store.connect() as con:
            db.build_fts_index(con)
            counts.update(languages.run_counts(con, run_id, topic))  # issue 13: languages the topic lacks
    except BaseException as exc:
        store.finish_run(run_id, "failed", dict(counts), dict(drops), clock.now(), error=repr(exc)[:2000])
        raise
    store.finish_run(run_id, "completed", dict(counts), dict(drops), clock.now())
    if settings.database.snapshot:
        db.publish_snapshot(store.path)
    summary = {
        "run_id": run_id,
        "db_path": str(store.path),
        "counts": dict(counts),
        "drops": dict(drops),
        "sources": found["checked"],
        "flow_seconds": round(time.monotonic() - started, 1),
        "unreachable": found["unreachable"],
    }
    logger.info("run %s completed: %s", run_id, dict(counts))
    return summary
