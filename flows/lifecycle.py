"""One owner of a run's lifecycle, used by the nightly, backfill and reprocess flows.

Open the settings and the store, migrate, take the run id, record the start; on failure record it and re-raise;
at the end bring the full-text index up to date (only the articles that changed) and publish the analysts' snapshot — each only when the run changed what
they are made of — and record the finish with the run's counts.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from tasks import clock, db, fts
from tasks.config import Settings, load_settings
from tasks.relevance import Topic, load_topic
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
    store = open_store(settings, db_path)
    run = Run(flow, current_run_id(flow), settings, store, topic)
    store.start_run(run.run_id, flow, {**params, "db_path": str(store.path)}, clock.now())
    try:
        with store.session():
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
    snapshot = db.snapshot_path(store.path)
    if settings.database.snapshot and run.publish and (run.data_changed or not snapshot.exists()):
        db.publish_snapshot(store.path)
