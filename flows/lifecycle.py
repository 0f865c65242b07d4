"""One owner of a run's lifecycle, used by the nightly, backfill and reprocess flows.

Open the settings and the store, migrate, take the run id, record the start; on failure record it and re-raise;
at the end bring the full-text index up to date (only the articles that changed) and publish the analysts' snapshot — each only when the run changed what
they are made of — and record the finish with the run's counts.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from tasks import clock, db, fts, killpoint, progress, runlock
from tasks.config import Settings, load_settings
from tasks.relevance.topic import Topic, load_topic
from tasks.store import Store


@dataclass
class Run:
    """What a flow body works with: its settings, store, topic and run id, and the counts it reports."""

    flow: str
    run_id: str
    settings: Settings
    store: Store
    topic: Topic
    counts: Counter = field(default_factory=Counter)
    drops: Counter = field(default_factory=Counter)
    articles_changed: bool = False  # the full-text index must be rebuilt
    data_changed: bool = False  # the analysts' snapshot must be republished
    publish: bool = True  # a dry run publishes nothing
    analysers: object = None  # where analyse batches run (flows.pipeline.Analysers), made on first use
    closing: ExitStack = field(default_factory=ExitStack, repr=False)  # closed when the run ends (its cluster)

    def changed(self, articles: bool = True) -> None:
        self.data_changed = True
        self.articles_changed = self.articles_changed or articles


def current_run_id(prefix: str) -> str:
    """The Prefect flow run id (the run's key everywhere), or a timestamped id outside Prefect."""
    from prefect.runtime import flow_run

    run_id = flow_run.get_id()
    return str(run_id) if run_id else f"{prefix}-{clock.now():%Y%m%dT%H%M%S%f}"


def resolve_db(settings: Settings, db_path: str | None) -> Path:
    return Path(db_path) if db_path else settings.resolve(settings.database.path)


def open_store(settings: Settings, db_path: str | None) -> Store:
    store = Store(
        resolve_db(settings, db_path),
        lock_timeout=settings.database.lock_timeout,
        template_settings=settings.template_settings(),
        memory_limit=settings.database.memory_limit,
    )
    store.migrate()
    return store


@contextmanager
def run_lifecycle(
    flow: str, params: dict, *, db_path: str | None = None, settings_file: str | None = None
) -> Iterator[Run]:
    settings = load_settings(Path(settings_file) if settings_file else None)
    topic = load_topic(settings.resolve(settings.topic.path))
    # issue 16: one writer per database; a second run waits up to lock_timeout, then exits with one line
    with runlock.run_lock(resolve_db(settings, db_path), settings.database.lock_timeout, label=flow):
        # issue 16: a killed writer's write-ahead log is replayed and checkpointed before anything is written
        db.recover(resolve_db(settings, db_path), settings.database.lock_timeout)
        store = open_store(settings, db_path)
        runlock.begin_run(store.path, settings.database.lock_timeout)  # issue 16: crashed runs, stale temps
        run = Run(flow, current_run_id(flow), settings, store, topic)
        store.start_run(run.run_id, flow, {**params, "db_path": str(store.path)}, clock.now())
        try:
            with store.session(), run.closing:
                yield run
                with store.connect() as con:
                    run.counts.update(
                        {f"search_index:{k}": v for k, v in fts.refresh(con).items() if k != "mode"}
                    )
        except BaseException as exc:
            store.finish_run(
                run.run_id, "failed", dict(run.counts), dict(run.drops), clock.now(), error=repr(exc)[:2000]
            )
            raise
        store.finish_run(run.run_id, "completed", dict(run.counts), dict(run.drops), clock.now())
        killpoint.reached("run-finished")
        snapshot = db.snapshot_path(store.path)
        if settings.database.snapshot and run.publish and (run.data_changed or not snapshot.exists()):
            db.publish_snapshot(store.path, lock_timeout=settings.database.lock_timeout)


PAGE_STAGES = ("fetch", "process")


@contextmanager
def progress_artifact(key: str, description: str, every: float = 2.0) -> Iterator[None]:
    """A Prefect progress artifact on the flow run, updated as its pages are fetched and processed.

    The share is pages done over pages to do in the page stages (`tasks.progress`), at most every `every`
    seconds and only from the flow's own thread (the fetcher's threads report too, and are read on the next
    report from here); 100 when the block ends.
    """
    from prefect.artifacts import create_progress_artifact, update_progress_artifact

    artifact = create_progress_artifact(0.0, key=key, description=description)
    home = threading.current_thread()
    last = [time.monotonic()]

    def update(stage: str, done: int, total: int | None) -> None:
        now = time.monotonic()
        if threading.current_thread() is not home or now - last[0] < every:
            return
        last[0] = now
        state = progress.snapshot()
        done = sum(state.get(s, (0, 0))[0] for s in PAGE_STAGES)
        total = sum(state.get(s, (0, 0))[1] or 0 for s in PAGE_STAGES)
        if total:
            update_progress_artifact(artifact, round(100.0 * done / total, 1))

    with progress.listening(update):
        yield
    update_progress_artifact(artifact, 100.0)
