"""Prefect tasks: thin wrappers over the stage functions that add logging and batching, nothing else.

Each task handles a whole batch (tasks cost ~15 ms of orchestration each plus server work), and passes references
(URLs, counts) rather than page bodies. Per-URL retries live in the HTTP layer (tasks.fetch), so a task is never
retried as a whole: that would refetch a batch.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from pathlib import Path

from prefect import get_run_logger, task
from prefect.cache_policies import NO_CACHE

from tasks import clock, staging
from tasks.canonical import canonical_url
from tasks.clean import load_rules
from tasks.config import Settings
from tasks.dedupe import DedupeIndex
from tasks.repos import dedupe as dedupe_repo
from tasks.discover import Discovery, read_source
from tasks.fetch import Fetcher, FetchPolicy, fetch_batch
from tasks.models import Candidate, Outcome, Source
from tasks.process import Templates, analyse, decide, pipeline_version
from tasks.relevance import Topic
from tasks.store import Store
from tasks.templates import TemplateSettings, learn_templates


def fetch_policy(settings: Settings, host_delays: dict[str, float] | None = None) -> FetchPolicy:
    f = settings.fetch
    return FetchPolicy(
        user_agent=f.user_agent,
        timeout=f.timeout,
        max_bytes=f.max_bytes,
        delay=f.delay,
        host_delays=host_delays or {},
        max_retries=f.max_retries,
        backoff=f.backoff,
        max_retry_after=f.max_retry_after,
        respect_robots=True,
        allow_networks=tuple(f.allow_networks),
        max_workers=f.max_workers,
    )


def host_delays(sources: list[Source]) -> dict[str, float]:
    """A source's configured pacing applies to every request to its host (feeds and articles alike)."""
    from urllib.parse import urlsplit

    delays: dict[str, float] = {}
    for s in sources:
        netloc = urlsplit(s.url).netloc.lower()
        delays[netloc] = max(delays.get(netloc, 0.0), s.delay)
    return delays


def canonical_candidates(
    candidates: list[Candidate],
) -> tuple[list[Candidate], Counter, set[tuple[str, str]]]:
    """Canonicalise discovered URLs; first sighting of a URL wins.

    Returns the kept candidates, drops by reason, and every (URL, source) pair seen (which sources found what).
    """
    kept: dict[str, Candidate] = {}
    drops: Counter = Counter()
    pairs: set[tuple[str, str]] = set()
    for c in candidates:
        url = canonical_url(c.url)
        if url is None:
            drops["bad_url"] += 1
            continue
        pairs.add((url, c.source))
        if url in kept:
            drops["dup_url_in_run"] += 1
            continue
        c.url = url
        kept[url] = c
    return list(kept.values()), drops, pairs


@task(name="discover", cache_policy=NO_CACHE)
def discover_task(sources: list[Source], store: Store, settings: Settings, run_id: str) -> dict:
    """Read every source (conditional GET), canonicalise, add new URLs to the frontier."""
    logger = get_run_logger()
    store.sync_sources(sources)
    states = store.source_states()
    policy = fetch_policy(settings, host_delays(sources))
    discovery = Discovery()
    feeds = [
        s for s in sources if s.kind in ("rss", "sitemap")
    ]  # search sources answer for windows: backfills
    with Fetcher(policy) as fetcher:
        for source in feeds:
            candidates, check = read_source(source, fetcher.fetch, states.get(source.name, (None, None)))
            discovery.candidates.extend(candidates)
            discovery.checks.append(check)
            if check.error:
                logger.warning("source %s (%s) failed: %s", source.name, source.url, check.error)
    now = clock.now()
    store.record_source_checks([c.as_dict() for c in discovery.checks], now)
    kept, drops, pairs = canonical_candidates(discovery.candidates)
    new = store.add_candidates(kept, run_id, now)
    store.record_url_sources(pairs, now)
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
    }


@task(name="merge-staged", cache_policy=NO_CACHE)
def merge_staged_task(store: Store, settings: Settings) -> int:
    """Merge fetch batches that an earlier run staged but could not write (locked database, crash)."""
    merged = 0
    for path in staging.pending_batches(staging.staging_dir(store.path)):
        run_id, fetched_at, results = staging.read_batch(path)
        store.save_fetches(results, run_id, fetched_at, max_attempts=settings.fetch.max_attempts)
        path.unlink()
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
) -> dict:
    """Fetch a batch (hosts in parallel, each paced), stage it, then merge it into the database in one transaction.

    `items` are (url, fetch_url): a page with an archived copy is fetched from the archive and kept under its URL.
    """
    logger = get_run_logger()
    results = fetch_batch([fetch_url or url for url, fetch_url in items], fetch_policy(settings, delays))
    for (url, fetch_url), result in zip(items, results, strict=True):
        if fetch_url:
            result.url = url
            result.final_url = url  # the archive's copy stands for the original page
    fetched_at = clock.now()
    staged = staging.write_batch(staging.staging_dir(store.path), batch_name, results, run_id, fetched_at)
    store.save_fetches(results, run_id, fetched_at, max_attempts=settings.fetch.max_attempts)
    staged.unlink()
    errors = Counter(r.error for r in results if not r.ok)
    ok = sum(1 for r in results if r.ok)
    logger.info("fetched %d/%d ok; failures: %s", ok, len(results), dict(errors) or "none")
    return {
        "fetched_ok": ok,
        "fetch_failed": len(results) - ok,
        "errors": dict(errors),
        "attempts": sum(max(1, len(r.attempts)) for r in results),
    }


def _decide_and_load(
    urls: list[str],
    store: Store,
    topic: Topic,
    run_id: str,
    templates: Templates,
    index: DedupeIndex | None,
    rules_dir: str | None = None,
    replace: bool = False,
    published_range: tuple[datetime, datetime] | None = None,
) -> list[Outcome]:
    rules = load_rules(rules_dir)
    analysed = [analyse(page, topic, rules, templates) for page in store.raw_pages(urls)]
    if index is None:  # keyed: only the stored articles sharing a key with this batch
        with store.connect() as con:
            index = dedupe_repo.index_for(con, analysed, exclude_urls=urls if replace else ())
    outcomes = decide(analysed, index, pipeline_version(rules), published_range)
    store.load(outcomes, run_id, clock.now(), replace=replace)
    return outcomes


@task(name="process-batch", cache_policy=NO_CACHE)
def process_task(
    urls: list[str],
    store: Store,
    topic: Topic,
    run_id: str,
    templates: Templates,
    published_range: tuple[datetime, datetime] | None = None,
) -> dict:
    """Extract, clean, score and dedupe stored raw pages, then load the batch in one transaction."""
    outcomes = _decide_and_load(
        urls,
        store,
        topic,
        run_id,
        templates,
        None,
        published_range=published_range,
    )
    statuses = Counter(o.status for o in outcomes)
    reasons = Counter(
        f"{o.status}:{(o.reason or '').split(':')[0]}" for o in outcomes if o.status != "loaded"
    )
    get_run_logger().info("processed %d pages: %s", len(outcomes), dict(statuses))
    return {
        "processed": len(outcomes),
        "statuses": dict(statuses),
        "reasons": dict(reasons),
        "removed_snippets": sum(len(o.removed) for o in outcomes if o.status == "loaded"),
    }


@task(name="redo-batch", cache_policy=NO_CACHE)
def redo_task(
    urls: list[str],
    store: Store,
    topic: Topic,
    run_id: str,
    templates: Templates,
    index: DedupeIndex | None,
    rules_dir: str | None = None,
) -> dict:
    """Decide already-decided pages again from their raw HTML (new rules or templates), replacing the old rows."""
    outcomes = _decide_and_load(urls, store, topic, run_id, templates, index, rules_dir, replace=True)
    return dict(Counter(o.status for o in outcomes))


def redo_pages(
    urls: list[str],
    store: Store,
    topic: Topic,
    run_id: str,
    templates: Templates,
    batch_size: int,
    rules_dir: str | None = None,
) -> Counter:
    """Redo `urls` in batches; they are decided afresh, in order, against everything else already loaded."""
    index = None  # each batch reads its candidates by key, the redone pages themselves excluded
    statuses: Counter = Counter()
    for batch in chunks(urls, batch_size):
        statuses.update(redo_task(batch, store, topic, run_id, templates, index, rules_dir))
    return statuses


@task(name="learn-site-templates", cache_policy=NO_CACHE)
def learn_templates_task(store: Store, settings: Settings, run_id: str) -> tuple[int, list[str]]:
    """Learn site templates from every decided page; store a new version when they changed.

    Returns the latest version and the sites whose templates changed (their pages must be redone with it, so
    that what an article keeps never depends on the order pages arrived in).
    """
    thresholds = settings.templates.model_dump()
    learned = learn_templates(store.page_lines(), TemplateSettings(**thresholds))
    version, changed = store.save_templates(learned, thresholds, run_id, clock.now())
    if changed:
        get_run_logger().info(
            "site templates v%d: %d lines on %d sites; changed: %s",
            version,
            sum(map(len, learned.values())),
            len(learned),
            sorted(changed),
        )
    return version, sorted(changed)


def fetch_and_process(
    store: Store,
    settings: Settings,
    topic: Topic,
    delays: dict[str, float],
    run_id: str,
    urls: list[str] | None = None,
    refetch: bool = False,
    learn: bool = True,
    published_range: tuple[datetime, datetime] | None = None,
) -> tuple[Counter, Counter]:
    """Work the frontier: fetch what has no raw page yet, decide and load what has, learn site templates.

    `urls` limits the work to those URLs (a backfill window); `refetch` fetches them again even when they
    already have a final outcome; `learn=False` leaves template learning to the caller (once per backfill).
    Returns (counts per stage, drops per reason).
    """
    counts: Counter = Counter()
    drops: Counter = Counter()
    max_attempts = settings.fetch.max_attempts
    pending = store.pending(max_attempts=max_attempts, urls=urls, refetch=refetch)
    to_fetch = [(p.url, p.fetch_url) for p in pending if p.status != "fetched"]
    counts["to_fetch"] = len(to_fetch)
    counts["resumed_from_raw"] = sum(1 for p in pending if p.status == "fetched")
    for i, batch in enumerate(chunks(to_fetch, settings.pipeline.fetch_batch_size)):
        result = fetch_task(batch, store, settings, delays, run_id, f"{run_id}-{i:04d}")
        for key in ("fetched_ok", "fetch_failed", "attempts"):
            counts[key] += result[key]
        drops.update({f"fetch:{k}": v for k, v in result["errors"].items()})

    ready = [p.url for p in store.pending(max_attempts=max_attempts, urls=urls) if p.status == "fetched"]
    if refetch and urls is not None:  # refetched pages have their final status already: decide them again
        fetched_now = {url for url, _ in to_fetch}
        redo = [u for u in store.processed_urls() if u in fetched_now]
    else:
        redo = []
    templates = store.templates(lead_lines=settings.templates.lead_lines)
    for batch in chunks(ready, settings.pipeline.process_batch_size):
        result = process_task(batch, store, topic, run_id, templates, published_range)
        counts["processed"] += result["processed"]
        counts["removed_snippets"] += result["removed_snippets"]
        counts.update({f"status:{k}": v for k, v in result["statuses"].items()})
        drops.update(result["reasons"])
    if redo:
        counts.update(
            {
                f"refetched:{k}": v
                for k, v in redo_pages(
                    redo, store, topic, run_id, templates, settings.pipeline.process_batch_size
                ).items()
            }
        )

    if learn:
        counts.update(learn_and_redo(store, settings, topic, run_id))
    return counts, drops


def learn_and_redo(store: Store, settings: Settings, topic: Topic, run_id: str) -> Counter:
    """Learn site templates; when a site's changed, redo its pages with them (order independence)."""
    counts: Counter = Counter()
    version, changed_sites = learn_templates_task(store, settings, run_id)
    counts["template_version"] = version
    if changed_sites:
        templates = store.templates(version, lead_lines=settings.templates.lead_lines)
        redo = [u for site in changed_sites for u in store.processed_urls(site=site)]
        redone = redo_pages(redo, store, topic, run_id, templates, settings.pipeline.process_batch_size)
        counts["redone_for_templates"] = sum(redone.values())
        counts.update({f"redone:{k}": v for k, v in redone.items()})
    return counts


def current_run_id(prefix: str) -> str:
    """The Prefect flow run id (the run's key everywhere), or a timestamped id outside Prefect."""
    from prefect.runtime import flow_run

    run_id = flow_run.get_id()
    return str(run_id) if run_id else f"{prefix}-{clock.now():%Y%m%dT%H%M%S%f}"


def chunks(items: list, size: int) -> list[list]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def resolve_db(settings: Settings, db_path: str | None) -> Path:
    return Path(db_path) if db_path else settings.resolve(settings.database.path)
