"""Re-extract and re-clean stored raw pages with the current code and rules: no network, raw HTML is the truth."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from prefect import flow, get_run_logger

from tasks import clock, db, runlock
from tasks.config import load_settings
from tasks.relevance import load_topic
from tasks.stages import current_run_id, redo_pages, resolve_db
from tasks.store import Store


@flow(name="reprocess", log_prints=True)
def reprocess(
    start: date | None = None,
    end: date | None = None,
    site: str | None = None,
    template_version: int | None = None,
    db_path: str | None = None,
    settings_file: str | None = None,
    rules_dir: str | None = None,
) -> dict:
    """Rebuild articles from stored raw pages with the current extraction and cleaning rules, without fetching.

    Args:
        start: first publication day (UTC), included; default: no lower bound.
        end: last publication day (UTC), included; default: no upper bound.
        site: site name (as in articles.site) or host[:port] of the page URLs; default: every site.
        template_version: learned site-template version to clean with (0: none); default: the latest.
        db_path: DuckDB file (default: the configured one).
        settings_file: TOML settings (default: config/newsmon.toml).
        rules_dir: directory of boilerplate rule files (default: config/boilerplate).
    """
    if start and end and end < start:
        raise ValueError(f"end {end} is before start {start}: nothing to reprocess")
    logger = get_run_logger()
    settings = load_settings(Path(settings_file) if settings_file else None)
    store = Store(resolve_db(settings, db_path), lock_timeout=settings.database.lock_timeout)
    with runlock.run_lock(
        store.path, settings.database.lock_timeout, label="reprocess"
    ):  # issue 16: one writer per database
        store.migrate()
        runlock.begin_run(
            store.path, settings.database.lock_timeout
        )  # issue 16: mark crashed runs, drop stale temps
        topic = load_topic(settings.resolve(settings.topic.path))
        templates = store.templates(template_version, lead_lines=settings.templates.lead_lines)
        lo = clock.day_bounds(start, start)[0] if start else None
        hi = clock.day_bounds(end, end)[1] if end else None
        urls = store.processed_urls(start=lo, end=hi, site=site)
        run_id = current_run_id("reprocess")
        params = {
            "start": start,
            "end": end,
            "site": site,
            "template_version": templates.version,
            "rules_dir": rules_dir,
        }
        store.start_run(run_id, "reprocess", params, clock.now())
        try:
            statuses = redo_pages(
                urls, store, topic, run_id, templates, settings.pipeline.process_batch_size, rules_dir
            )
            with store.connect() as con:
                db.build_fts_index(con)
        except BaseException as exc:
            store.finish_run(run_id, "failed", {"pages": len(urls)}, {}, clock.now(), error=repr(exc)[:2000])
            raise
        counts = {
            "pages": len(urls),
            "template_version": templates.version,
            **{f"status:{k}": v for k, v in statuses.items()},
        }
        store.finish_run(run_id, "completed", counts, {}, clock.now())
        if settings.database.snapshot:
            db.publish_snapshot(store.path, lock_timeout=settings.database.lock_timeout)
    logger.info("reprocessed %d stored pages: %s", len(urls), dict(statuses))
    return {"run_id": run_id, "counts": counts}
