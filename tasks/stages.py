"""Prefect tasks: thin wrappers over the stage functions that add logging and batching, nothing else.

Each task handles a whole batch (tasks cost ~15 ms of orchestration each plus server work), and passes references
(URLs, counts) or plain records rather than database handles. Per-URL retries live in the HTTP layer
(tasks.fetch), so a task is never retried as a whole: that would refetch a batch. Which batches run where is the
flows' business (flows/pipeline.py).
"""

from __future__ import annotations

import time
from collections import Counter

from prefect import get_run_logger, task
from prefect.cache_policies import NO_CACHE

from tasks import clock, killpoint, progress, quarantine, staging
from tasks.candidates import add_to_frontier, canonical_candidates
from tasks.clean import load_rules
from tasks.config import Settings, host_delays
from tasks.discover import Discovery
from tasks.fetch import fetch_batch
from tasks.models import FetchResult, Outcome, RawPage, Source
from tasks.process import Analysed, Templates, analyse
from tasks.relevance.topic import Topic
from tasks.repos import sources as source_repo
from tasks.sources import open_source, windowed
from tasks.sources.service import ServiceFetcher
from tasks.store import Store

__all__ = [
    "analyse_task",
    "canonical_candidates",
    "discover_task",
    "fetch_policy",
    "fetch_task",
    "host_delays",
    "learn_templates_task",
    "load_task",
    "merge_staged_task",
]


def fetch_policy(settings: Settings, delays: dict[str, float] | None = None):
    return settings.fetch.policy(delays)


@task(name="discover", cache_policy=NO_CACHE)
def discover_task(sources: list[Source], store: Store, settings: Settings, run_id: str) -> dict:
    """Read every feed and sitemap (conditional GET), canonicalise, add new URLs to the frontier."""
    logger = get_run_logger()
    started = time.monotonic()
    store.sync_sources(sources)
    policy = settings.fetch.policy(host_delays(sources))
    discovery = Discovery()
    listings = [s for s in sources if not windowed(s)]  # search sources answer for windows: backfills
    now = clock.now()
    with store.connect() as con:
        states = source_repo.load_states(con, listings)
    progress.start("discover", len(listings))
    with ServiceFetcher(policy, max_bytes=settings.fetch.service_max_bytes) as http:
        for source in listings:
            with http.within(settings.fetch.host_budget):  # issue 16: a slow listing holds up only itself
                discovery.candidates += open_source(source).stream(None, http, states[source.name], now=now)
            discovery.checks.append(check := states[source.name].check(source.name))
            if check.error:
                logger.warning("source %s (%s) failed: %s", source.name, source.url, check.error)
            progress.advance("discover")
    with store.connect() as con:
        source_repo.save_states(con, states, run_id, now)
    kept, drops, new = add_to_frontier(store, discovery.candidates, run_id, now)
    logger.info(
        "discovered %d links from %d sources: %d distinct, %d new",
        len(discovery.candidates),
        len(sources),
        len(kept),
        new,
    )
    return {
        "links": len(discovery.candidates),
        "distinct": len(kept),
        "new_urls": new,
        "drops": dict(drops),
        "unreachable": {c.name: c.error for c in discovery.unreachable},
        "checked": [c.name for c in discovery.checks],
        "not_modified": [c.name for c in discovery.checks if c.status == 304],
        "skipped": {c.name: c.skipped for c in discovery.checks if c.skipped},
        "seconds": round(time.monotonic() - started, 2),
    }


@task(name="merge-staged", cache_policy=NO_CACHE)
def merge_staged_task(store: Store, settings: Settings) -> int:
    """Merge fetch batches that an earlier run staged but could not write (locked database, crash)."""
    merged = 0
    for path in staging.pending_batches(staging.staging_dir(store.path)):
        run_id, fetched_at, results = staging.read_batch(path)
        store.save_fetches(results, run_id, fetched_at, max_attempts=settings.fetch.max_attempts)
        staging.discard(path)  # and its journal (issue 16)
        merged += 1
    if merged:
        get_run_logger().info("merged %d staged fetch batches from earlier runs", merged)
    return merged


@task(name="fetch-batch", cache_policy=NO_CACHE)
def fetch_task(
    items: list[tuple[str, str | None]],
    store: Store,
    settings: Settings,
    delays: dict[str, float],
    run_id: str,
    batch_name: str,
    deadline: float | None = None,
) -> dict:
    """Fetch a batch (hosts in parallel, each paced), stage it, then merge it into the database in one transaction.

    `items` are (url, fetch_url): a page with an archived copy is fetched from the archive and kept under its URL.
    `deadline` (time.monotonic): the run's fetch budget, on top of the batch's own.
    """
    logger = get_run_logger()
    urls = [fetch_url or url for url, fetch_url in items]

    def as_original(index: int, result: FetchResult) -> FetchResult:
        url, fetch_url = items[index]
        if fetch_url:
            result.url = url
            result.final_url = url  # the archive's copy stands for the original page
        return result

    # issue 16: the batch is staged page by page as each is done, so a run killed mid-batch loses no fetch
    journal = staging.Journal(staging.staging_dir(store.path), batch_name, run_id, clock.now())
    try:
        results = fetch_batch(urls, settings.fetch.policy(delays), deadline,
                              on_result=lambda i, r: journal.append(as_original(i, r)))  # fmt: skip
    except BaseException:
        journal.close()  # what it holds is merged by the next run
        raise
    fetched_at = clock.now()
    journal.finish(fetched_at)
    killpoint.reached("fetch-staged")
    store.save_fetches(results, run_id, fetched_at, max_attempts=settings.fetch.max_attempts)
    killpoint.reached("fetch-merged")
    journal.remove()
    errors = Counter(r.error for r in results if not r.ok)
    ok = sum(1 for r in results if r.ok)
    logger.info("fetched %d/%d ok; failures: %s", ok, len(results), dict(errors) or "none")
    return {
        "fetched_ok": ok,
        "fetch_failed": len(results) - ok,
        "errors": dict(errors),
        "attempts": sum(max(1, len(r.attempts)) for r in results),
    }


@task(name="analyse-batch", cache_policy=NO_CACHE)
def analyse_task(
    pages: list[RawPage], topic: Topic, rules_dir: str | None, templates: Templates
) -> list[Analysed]:
    """Extract, clean and score a batch of raw pages: pure CPU work, run wherever the task runner puts it.

    What comes back is plain records (no parsed trees, no page bodies), to travel back from a worker cheaply.
    """
    rules = load_rules(rules_dir)
    # issue 16: a page whose analysis raises comes back as a PageFailure, the others as usual
    return quarantine.guarded(pages, lambda page: analyse(page, topic, rules, templates).portable())


@task(name="load-batch", cache_policy=NO_CACHE)
def load_task(store: Store, outcomes: list[Outcome], run_id: str, replace: bool = False) -> dict:
    """Load one decided batch in one transaction."""
    store.load(outcomes, run_id, clock.now(), replace=replace)  # date signals too, in the same transaction
    killpoint.reached("load-committed")
    statuses = Counter(o.status for o in outcomes)
    get_run_logger().info("loaded a batch of %d pages: %s", len(outcomes), dict(statuses))
    return dict(statuses)


@task(name="learn-site-templates", cache_policy=NO_CACHE)
def learn_templates_task(store: Store, settings: Settings, run_id: str) -> tuple[int, list[str]]:
    """Relearn site templates where pages changed; returns the latest version and the sites to redo with it."""
    version, stale = store.learn_templates(settings.templates.model_dump(), run_id, clock.now())
    if stale:
        get_run_logger().info("site templates v%d; sites to redo: %s", version, sorted(stale))
    return version, sorted(stale)
