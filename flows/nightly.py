"""The nightly run: discover -> fetch -> extract/clean/score/dedupe -> load, in batches, recorded as a run."""

from __future__ import annotations

import time

from prefect import flow, get_run_logger

from flows.lifecycle import progress_artifact, run_lifecycle
from flows.pipeline import fetch_and_process
from tasks.config import host_delays, load_sources
from tasks.repos import languages  # issue 13
from tasks.search import search_pass_task
from tasks.stages import discover_task, merge_staged_task
from tasks.summaries import publish_nightly_summary


@flow(name="nightly", log_prints=True)
def nightly(
    db_path: str | None = None,
    sources_file: str | None = None,
    settings_file: str | None = None,
    only_sources: list[str] | None = None,
    fail_when_unreachable: bool = True,
) -> dict:
    """Discover new articles from the configured sources, fetch, clean and load them.

    Args:
        db_path: DuckDB file to write (default: [database].path of the settings).
        sources_file: TOML file of sources (default: config/sources.toml).
        settings_file: TOML settings (default: config/newsmon.toml).
        only_sources: restrict the run to these source names.
        fail_when_unreachable: end the run Failed when no source could be reached (the CLI lists them instead).
    """
    from pathlib import Path

    logger = get_run_logger()
    sources = load_sources(Path(sources_file) if sources_file else None)
    if only_sources:
        unknown = sorted(set(only_sources) - {s.name for s in sources})
        if unknown:
            raise ValueError(f"unknown sources: {', '.join(unknown)}")
        sources = [s for s in sources if s.name in only_sources]
    params = {"sources": [s.name for s in sources]}
    started = time.monotonic()
    with run_lifecycle("nightly", params, db_path=db_path, settings_file=settings_file) as run:
        merged = merge_staged_task(run.store, run.settings)
        run.counts["staged_merged"] = merged
        if merged:
            run.changed(articles=False)
        found = discover_task(sources, run.store, run.settings, run.run_id)
        run.counts.update({k: found[k] for k in ("links", "distinct", "new_urls")})
        run.counts["discover_seconds"] = found["seconds"]
        if found["new_urls"]:
            run.changed(articles=False)
        run.drops.update({f"discover:{k}": v for k, v in found["drops"].items()})
        run.drops.update({f"source:{name}": 1 for name in found["unreachable"]})
        searched = search_pass_task(sources, run.topic, run.settings, run.store, run.run_id)  # the last day
        run.counts.update({f"search_{k}": searched[k] for k in ("links", "distinct", "new_urls", "requests")})
        run.counts.update({f"search:{name}": n for name, n in searched["per_source"].items()})
        if searched["new_urls"]:
            run.changed(articles=False)
        run.drops.update({f"search:{name}": 1 for name in searched["failed"]})
        found["checked"] += searched["asked"]
        found["unreachable"].update(searched["unreachable"])

        with progress_artifact("nightly-progress", f"nightly run {run.run_id}: pages fetched and processed"):
            work, work_drops = fetch_and_process(run, host_delays(sources))
        run.counts.update(work)
        run.drops.update(work_drops)
        with run.store.connect() as con:  # issue 13: articles of languages the topic lacks
            run.counts.update(languages.run_counts(con, run.run_id, run.topic))
        publish_nightly_summary(run, found, fail_when_unreachable)  # artifact; raises when no source answered
    summary = {
        "run_id": run.run_id,
        "db_path": str(run.store.path),
        "counts": dict(run.counts),
        "drops": dict(run.drops),
        "sources": found["checked"],
        "flow_seconds": round(time.monotonic() - started, 1),
        "unreachable": found["unreachable"],
    }
    logger.info("run %s completed: %s", run.run_id, dict(run.counts))
    return summary
