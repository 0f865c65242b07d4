"""Re-extract and re-clean stored raw pages with the current code and rules: no network, raw HTML is the truth."""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE

from tasks import clock, db
from tasks.clean import load_rules
from tasks.config import load_settings
from tasks.dedupe import DedupeIndex
from tasks.process import analyse, decide, pipeline_version
from tasks.relevance import Topic, load_topic
from tasks.stages import chunks, current_run_id, resolve_db
from tasks.store import Store


@task(name="reprocess-batch", cache_policy=NO_CACHE)
def reprocess_task(
    urls: list[str], store: Store, topic: Topic, index: DedupeIndex, run_id: str, rules_dir: str | None
) -> dict:
    rules = load_rules(rules_dir)
    analysed = [analyse(page, topic, rules) for page in store.raw_pages(urls)]
    outcomes = decide(analysed, index, pipeline_version(rules))
    store.load(outcomes, run_id, clock.now(), replace=True)
    return dict(Counter(o.status for o in outcomes))


@flow(name="reprocess", log_prints=True)
def reprocess(
    start: date | None = None,
    end: date | None = None,
    site: str | None = None,
    db_path: str | None = None,
    settings_file: str | None = None,
    rules_dir: str | None = None,
) -> dict:
    """Rebuild articles from stored raw pages published between `start` and `end` (UTC days, both included),
    optionally of one site (site name or host:port), with the current extraction and cleaning rules.

    Args:
        start: first publication day (UTC), included; default: no lower bound.
        end: last publication day (UTC), included; default: no upper bound.
        site: site name (as in articles.site) or host[:port] of the page URLs.
        db_path: DuckDB file (default: the configured one).
        settings_file: TOML settings (default: config/newsmon.toml).
        rules_dir: directory of boilerplate rule files (default: config/boilerplate).
    """
    if start and end and end < start:
        raise ValueError(f"end {end} is before start {start}")
    logger = get_run_logger()
    settings = load_settings(Path(settings_file) if settings_file else None)
    store = Store(resolve_db(settings, db_path), lock_timeout=settings.database.lock_timeout)
    store.migrate()
    topic = load_topic(settings.resolve(settings.topic.path))
    lo = clock.day_bounds(start, start)[0] if start else None
    hi = clock.day_bounds(end, end)[1] if end else None
    urls = store.processed_urls(start=lo, end=hi, site=site)
    run_id = current_run_id("reprocess")
    store.start_run(
        run_id, "reprocess", {"start": start, "end": end, "site": site, "rules_dir": rules_dir}, clock.now()
    )
    statuses: Counter = Counter()
    try:
        # the pages being redone are decided afresh, in order; everything else already loaded stays as it is
        index = DedupeIndex(store.known_articles_except(urls))
        for batch in chunks(urls, settings.pipeline.process_batch_size):
            statuses.update(reprocess_task(batch, store, topic, index, run_id, rules_dir))
        with store.connect() as con:
            db.build_fts_index(con)
    except BaseException as exc:
        store.finish_run(run_id, "failed", {"pages": len(urls)}, {}, clock.now(), error=repr(exc)[:2000])
        raise
    counts = {"pages": len(urls), **{f"status:{k}": v for k, v in statuses.items()}}
    store.finish_run(run_id, "completed", counts, {}, clock.now())
    if settings.database.snapshot:
        db.publish_snapshot(store.path)
    logger.info("reprocessed %d stored pages: %s", len(urls), dict(statuses))
    return {"run_id": run_id, "counts": counts}
