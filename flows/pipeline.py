"""The work of a run, batch by batch: fetch the frontier, decide and load fetched pages, learn site templates.

Used by every flow. Fetch batches are paced per host inside the fetcher; process batches split into CPU work
(extract, clean, score, signatures: `analyse-batch` tasks, run on the configured task runner, in parallel) and
one writer, here in the flow, that decides each batch against what is loaded (in batch order, so results never
depend on which worker finished first) and loads it in one transaction.
"""

from __future__ import annotations

import threading
from collections import Counter, deque
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from datetime import datetime
from itertools import zip_longest
from urllib.parse import urlsplit

from prefect import get_run_logger
from prefect.utilities.annotations import quote

from flows.lifecycle import Run
from tasks import fetch_limits, killpoint, langid, memory, progress, quarantine
from tasks.clean import load_rules
from tasks.process import Templates, pipeline_version
from tasks.repos import dates as dates_repo
from tasks.repos import dedupe as dedupe_repo
from tasks.stages import analyse_task, fetch_task, learn_templates_task, load_task


def chunks(items: list, size: int) -> list[list]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def interleave_hosts(items: list[tuple[str, str | None]]) -> list[tuple[str, str | None]]:
    """(url, fetch_url) pairs taken round-robin across hosts, so every fetch batch keeps all hosts busy.

    The frontier comes sorted by URL, i.e. grouped by host: cut into batches as it is, a batch would hold one or
    two hosts and wait on their pacing alone while the others idle.
    """
    by_host: dict[str, list] = {}
    for item in items:
        by_host.setdefault(urlsplit(item[1] or item[0]).netloc.lower(), []).append(item)
    return [item for group in zip_longest(*by_host.values()) for item in group if item is not None]


def _opaque(**params) -> dict:
    """Task parameters Prefect passes on without walking them: a batch's pages, outcomes, the templates and the
    topic are plain records Prefect has nothing to resolve in, and walking them costs seconds per run."""
    return {name: quote(value) for name, value in params.items()}


class _Dispatch:
    """Sends a pass's analyse batches to the run's cluster once it is up, and, while it starts (if
    `runner.flow_helps`), analyses them in the flow's own process one at a time, so a starting cluster never
    leaves the run idle. Without a cluster (serial, or too few batches) every batch is analysed in the flow."""

    def __init__(self, analysers: Analysers | None, counts: Counter):
        self.analysers = analysers
        self.counts = counts

    def _to_cluster(self) -> bool:
        a = self.analysers
        return a is not None and (a.ready() or not a.cfg.flow_helps) and a.wait() is not None

    def room(self, queued: int) -> bool:
        """Whether another batch may be started now, with `queued` started and not yet decided."""
        if self._to_cluster():
            return queued < 2 * self.analysers.cfg.workers
        return queued < 1

    def submit(self, pages, **params):
        if self._to_cluster():
            runner = self.analysers.wait()
            self.counts["batches_on_cluster"] += 1
            # a runner hands the parameters over as they are (annotations would arrive wrapped)
            return True, runner.submit(analyse_task, parameters={"pages": pages, **params})
        return False, analyse_task(**_opaque(pages=pages, **params))

    @staticmethod
    def result(handle):
        on_cluster, value = handle
        return value.result() if on_cluster else value


def _api_for_workers():
    """A factory of contexts in which task runs submitted to workers report to the flow's own Prefect API.

    Without an API URL set, a flow runs against Prefect's temporary server, and a worker process would start a
    temporary server of its own (seconds to a minute each on a busy machine) for its first task run.
    """
    from prefect.context import FlowRunContext
    from prefect.settings import PREFECT_API_URL, temporary_settings

    context = FlowRunContext.get()
    if PREFECT_API_URL.value() or context is None or context.client is None:
        return nullcontext
    url = str(context.client.api_url).rstrip("/")
    if urlsplit(url).hostname == "ephemeral-prefect":
        return nullcontext  # Prefect's in-process app: nothing another process could reach
    return lambda: temporary_settings(updates={PREFECT_API_URL: url})


class Analysers:
    """Where a run's analyse batches go: the flow's own process, or one Dask cluster kept for the whole run.

    The cluster is made once per run (not per pass: the redo of template-changed sites and every backfill
    window reuse it) and closed with the run (`Run.closing`). `warm(pages)` starts it in the background as soon
    as the run knows it will have enough pages, so the workers start and import the analysis code while the
    flow fetches; workers of a local cluster load the analysis modules when they start (`flows.worker`), not
    on their first batch. Task runs on the workers report to the flow's own Prefect API.
    """

    def __init__(self, run: Run):
        self.cfg = run.settings.runner
        self.batch_size = run.settings.pipeline.process_batch_size
        self.closing = run.closing
        self.runner = None
        self.api = None
        self._starting: threading.Thread | None = None
        self._error: BaseException | None = None

    def wanted(self, batches: int) -> bool:
        return self.cfg.parallel and (batches >= self.cfg.min_batches or bool(self.cfg.address))

    def warm(self, pages: int) -> None:
        """Start the cluster in the background if `pages` pages make enough batches for it."""
        if self.runner is None and self.wanted(-(-pages // self.batch_size)):
            self._start()

    def ready(self) -> bool:
        """Whether the cluster is up, or failed to come up."""
        return self._starting is None or not self._starting.is_alive()

    def wait(self):
        """The started runner once its cluster is up; None if it could not start (said once, in the log: the
        flow then analyses every batch itself)."""
        if self._starting is not None:
            self._starting.join()
            self._starting = None
            if self._error is not None:
                get_run_logger().warning(
                    "the Dask cluster (%s) did not start, batches are analysed in the flow: %s",
                    self.cfg.address or "local", quarantine.describe(self._error),
                )  # fmt: skip
        return None if self._error is not None else self.runner

    @contextmanager
    def use(self, batches: int, counts: Counter) -> Iterator[_Dispatch]:
        """Where the `batches` analyse batches of a pass run (counted in `counts`)."""
        if self.runner is None and not self.wanted(batches):
            yield _Dispatch(None, counts)
            return
        if self.runner is None:
            self._start()
        get_run_logger().info("analysing %d batches on a Dask cluster (%s)", batches, self.cfg.address or "local")
        with self.api():  # the workers' task runs report to this flow's API (a context of this thread)
            yield _Dispatch(self, counts)

    def _start(self) -> None:
        from prefect_dask import DaskTaskRunner

        cfg = self.cfg
        if cfg.address:
            runner = DaskTaskRunner(address=cfg.address)
        else:
            runner = DaskTaskRunner(
                cluster_kwargs={
                    "n_workers": cfg.workers,
                    "threads_per_worker": cfg.threads_per_worker,
                    "processes": True,
                    "dashboard_address": ":0",  # no fixed port to collide with
                    "preload": ["flows.worker"],  # the analysis modules, loaded as a worker starts
                }
            )
        self.api = _api_for_workers()
        self.runner = self.closing.enter_context(runner)
        self.closing.callback(lambda: self._starting is None or self._starting.join())  # before the runner closes

        def connect() -> None:
            try:
                runner.client  # noqa: B018 - makes the cluster (or connects to it) and the client
            except Exception as exc:  # noqa: BLE001 - reported by `wait`, in the flow's thread
                self._error = exc

        self._starting = threading.Thread(target=connect, name="newsmon-cluster-start", daemon=True)
        self._starting.start()


def analysers(run: Run) -> Analysers:
    if run.analysers is None:
        run.analysers = Analysers(run)
    return run.analysers


def process_pages(
    run: Run,
    urls: list[str],
    templates: Templates,
    index_for,
    *,
    replace: bool = False,
    rules_dir: str | None = None,
    published_range: tuple[datetime, datetime] | None = None,
) -> Counter:
    """Decide and load the stored raw pages of `urls`, in batches; returns counts by status and reason.

    `index_for(analysed)` gives the dedupe index a batch is decided against (updated in place as it loads).
    """
    store = run.store
    rules = load_rules(rules_dir)
    version = pipeline_version(rules)
    batches = chunks(urls, run.settings.pipeline.process_batch_size)
    counts: Counter = Counter()
    progress.grow("process", len(urls))
    params = {"topic": run.topic, "rules_dir": rules_dir, "templates": templates}
    with analysers(run).use(len(batches), counts) as where:
        queue: deque = deque()
        pending = iter(batches)

        def top_up() -> None:
            while where.room(len(queue)):
                batch = next(pending, None)
                if batch is None:
                    return
                queue.append(where.submit(store.raw_pages(batch), **params))

        top_up()
        while queue:
            analysed, failed = quarantine.split(where.result(queue.popleft()))  # issue 16
            top_up()  # the next batch is analysed while this one is decided and loaded
            outcomes = quarantine.decide_and_load(  # issue 16: a page that raises fails alone (then is quarantined)
                store, analysed, failed, index_for(analysed), version, published_range,
                lambda batch: load_task(store, quote(batch), run.run_id, replace=replace), run.run_id,
            )  # fmt: skip
            run.changed(articles=any(o.article is not None for o in outcomes) or replace)
            counts["processed"] += len(outcomes)
            progress.advance("process", len(outcomes))
            memory.release()  # the batch's pages and trees are freed: hand their memory back (tasks/memory.py)
            counts["removed_snippets"] += sum(len(o.removed) for o in outcomes if o.status == "loaded")
            counts.update(dates_repo.summary(outcomes))  # date disagreements, capped, dropped (issue 14)
            counts.update(f"status:{o.status}" for o in outcomes)
            counts.update(langid.unconfigured_irrelevant(outcomes, run.topic.languages))  # issue 13
            counts.update(
                f"reason:{o.status}:{(o.reason or '').split(':')[0]}"
                for o in outcomes
                if o.status != "loaded"
            )
    return counts


def _split(counts: Counter) -> tuple[Counter, Counter]:
    """Counts of a processing pass as (counts per stage, drops per reason)."""
    work, drops = Counter(), Counter()
    for key, value in counts.items():
        if key.startswith("reason:"):
            drops[key.removeprefix("reason:")] += value
        else:
            work[key] += value
    return work, drops


def fresh_index(run: Run):
    """Dedupe index for new pages: per batch, the stored articles sharing a key with it, plus what this run loads."""
    return dedupe_repo.keyed_index(run.store)


def redo_index(run: Run, urls: list[str]):
    """Dedupe index for pages decided again: the stored articles sharing a key with them, except them."""
    return dedupe_repo.keyed_index(run.store, exclude_urls=urls)


def redo_pages(run: Run, urls: list[str], templates: Templates, rules_dir: str | None = None) -> Counter:
    """Redo `urls` from raw; they are decided afresh, in order, against everything else already loaded."""
    work, _ = _split(
        process_pages(run, urls, templates, redo_index(run, urls), replace=True, rules_dir=rules_dir)
    )
    return Counter({k.removeprefix("status:"): v for k, v in work.items() if k.startswith("status:")})


def fetch_and_process(
    run: Run,
    delays: dict[str, float],
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
    store, settings = run.store, run.settings
    counts: Counter = Counter()
    drops: Counter = Counter()
    max_attempts = settings.fetch.max_attempts
    pending = store.pending(max_attempts=max_attempts, urls=urls, refetch=refetch)
    to_fetch = interleave_hosts([(p.url, p.fetch_url) for p in pending if p.status != "fetched"])
    counts["to_fetch"] = len(to_fetch)
    counts["resumed_from_raw"] = sum(1 for p in pending if p.status == "fetched")
    analysers(run).warm(len(pending))  # a cluster, if the run will use one, starts while the pages are fetched
    # issue 16: a run fetches at most max_pages_per_run pages within run_budget seconds; the rest stay
    # pending for the next run, counted as deferred (no request, no attempt used)
    to_fetch, deferred = fetch_limits.cap(to_fetch, settings.fetch.max_pages_per_run)
    progress.grow("fetch", len(to_fetch))
    budget = fetch_limits.RunBudget(settings.fetch.run_budget)
    for i, batch in enumerate(chunks(to_fetch, settings.pipeline.fetch_batch_size)):
        if budget.spent():
            deferred.add("run_budget", len(to_fetch) - i * settings.pipeline.fetch_batch_size)
            break
        name = f"{run.run_id}-{i:04d}"
        result = fetch_task(quote(batch), store, settings, delays, run.run_id, name, deadline=budget.deadline)
        progress.report("fetch")  # from the flow's thread: its progress artifact moves on
        run.changed(articles=False)
        for key in ("fetched_ok", "fetch_failed", "attempts"):
            counts[key] += result[key]
        drops.update({f"fetch:{k}": v for k, v in result["errors"].items()})
    counts.update(deferred.counts())
    counts["fetch_seconds"] = budget.elapsed()

    ready = [p.url for p in store.pending(max_attempts=max_attempts, urls=urls) if p.status == "fetched"]
    if refetch and urls is not None:  # refetched pages have their final status already: decide them again
        fetched_now = {url for url, _ in to_fetch}
        redo = [u for u in store.processed_urls() if u in fetched_now]
    else:
        redo = []
    templates = store.templates(lead_lines=settings.templates.lead_lines)
    if ready:
        work, work_drops = _split(
            process_pages(run, ready, templates, fresh_index(run), published_range=published_range)
        )
        counts.update(work)
        drops.update(work_drops)
    if redo:
        counts.update({f"refetched:{k}": v for k, v in redo_pages(run, redo, templates).items()})
    if learn:
        counts.update(learn_and_redo(run))
    return counts, drops


def learn_and_redo(run: Run) -> Counter:
    """Learn site templates from what changed; redo the pages of sites whose templates changed (order
    independence), including sites a stopped run left stale."""
    counts: Counter = Counter()
    store, settings = run.store, run.settings
    version, stale_sites = learn_templates_task(store, settings, run.run_id)
    counts["template_version"] = version
    killpoint.reached("templates-saved")
    if stale_sites:
        templates = store.templates(version, lead_lines=settings.templates.lead_lines)
        redo = [u for site in sorted(stale_sites) for u in store.processed_urls(site=site)]
        redone = redo_pages(run, redo, templates)
        counts["redone_for_templates"] = sum(redone.values())
        counts.update({f"redone:{k}": v for k, v in redone.items()})
        run.changed()
    killpoint.reached("templates-redone")
    store.templates_applied(version)
    return counts
