"""Quarantine, not crash: a page whose processing raises fails alone; on its second failing run it is set aside.

`analyse_each` and `decide_each` run the pipeline's own `analyse`/`decide` page by page under a guard, so an
exception (a poison date, a parser bug) becomes a `PageFailure` for that page and the rest of its batch goes on.
`load_each` loads a batch in one statement per table and, only if that raises, splits the batch in halves to
find the rows that cannot be loaded (log2(batch) extra transactions per bad row, none on the normal path).
`tasks.repos.quarantine.record` stores the failures; a page that failed on `QUARANTINE_AFTER` runs gets the URL
status `quarantined` (with its error) and is no longer picked up by later runs.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import duckdb
from tasks.db import DatabaseLockedError
from tasks.dedupe import DedupeIndex
from tasks.models import Outcome, RawPage

QUARANTINE_AFTER = 2  # runs a page may fail on before it is set aside
# errors that are the database's, not a page's: the run fails (and is retried) as it did before
_SYSTEMIC = (DatabaseLockedError, duckdb.IOException, MemoryError)


@dataclass(frozen=True)
class PageFailure:
    url: str
    stage: str  # analyse | decide | load
    error: str  # one line


def describe(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {text}"[:500]


def guarded(pages: Sequence[RawPage], analyse: Callable[[RawPage], object]) -> list:
    """`analyse(page)` for each page, a `PageFailure` in its place where it raises (travels back from a worker)."""
    out: list = []
    for page in pages:
        try:
            out.append(analyse(page))
        except Exception as exc:  # noqa: BLE001 - any page may be poison; it fails alone
            out.append(PageFailure(page.url, "analyse", describe(exc)))
    return out


def split(items: Sequence) -> tuple[list, list[PageFailure]]:
    """What `guarded` returned, as (analysed pages, failures)."""
    failed = [i for i in items if isinstance(i, PageFailure)]
    return [i for i in items if not isinstance(i, PageFailure)], failed


def analyse_each(
    pages: Sequence[RawPage], analyse: Callable[[RawPage], object]
) -> tuple[list, list[PageFailure]]:
    done, failed = [], []
    for page in pages:
        try:
            done.append(analyse(page))
        except Exception as exc:  # noqa: BLE001 - any page may be poison; it fails alone
            failed.append(PageFailure(page.url, "analyse", describe(exc)))
    return done, failed


def decide_each(
    items: list,
    index: DedupeIndex,
    decide: Callable[..., list[Outcome]],
    order: Callable[[object], tuple],
    **kwargs,
) -> tuple[list[Outcome], list[PageFailure]]:
    """`decide` one page at a time in the batch's decision order (what `decide` does for a whole batch)."""
    keyed, failed = [], []
    for item in items:
        try:
            keyed.append((order(item), item))
        except Exception as exc:  # noqa: BLE001
            failed.append(PageFailure(item.raw.url, "decide", describe(exc)))
    outcomes: list[Outcome] = []
    for _, item in sorted(keyed, key=lambda k: k[0]):
        try:
            outcomes.extend(decide([item], index, **kwargs))
        except Exception as exc:  # noqa: BLE001
            failed.append(PageFailure(item.raw.url, "decide", describe(exc)))
    return outcomes, failed


def load_each(
    outcomes: list[Outcome], load: Callable[[list[Outcome]], None]
) -> tuple[list[Outcome], list[PageFailure]]:
    """Load in one go; if that raises, bisect to load every loadable outcome and fail only the others.

    When nothing of the batch can be loaded the fault is not in a page (database locked or gone, disk full):
    the original error is raised and the run fails as before, its pages tried again next run.
    """
    if not outcomes:
        return [], []
    try:
        load(outcomes)
        return outcomes, []
    except _SYSTEMIC:
        raise
    except Exception as exc:  # noqa: BLE001
        if len(outcomes) == 1:
            return [], [PageFailure(outcomes[0].url, "load", describe(exc))]
        loaded, failed = _bisect(outcomes, load)
        if not loaded:
            raise
        return loaded, failed


def _bisect(outcomes: list[Outcome], load: Callable[[list[Outcome]], None]) -> tuple[list, list[PageFailure]]:
    mid = len(outcomes) // 2
    loaded, failed = [], []
    for part in (outcomes[:mid], outcomes[mid:]):
        try:
            load(part)
            loaded += part
        except _SYSTEMIC:
            raise
        except Exception as exc:  # noqa: BLE001
            if len(part) == 1:
                failed.append(PageFailure(part[0].url, "load", describe(exc)))
            else:
                more_loaded, more_failed = _bisect(part, load)
                loaded += more_loaded
                failed += more_failed
    return loaded, failed


def decide_and_load(
    store,
    analysed: list,
    failed: list[PageFailure],
    index: DedupeIndex,
    version: str,
    published_range,
    load: Callable[[list[Outcome]], object],
    run_id: str,
) -> list[Outcome]:
    """Decide and load one analysed batch page by page under the guard, then record its failures.

    Returns the loaded outcomes followed by one outcome per failed page (status `process_failed`, or
    `quarantined` when it has now failed on QUARANTINE_AFTER runs), so run summaries count them.
    """
    from tasks import clock
    from tasks.process import _decision_order, decide
    from tasks.repos import quarantine as repo

    outcomes, failed_decide = decide_each(
        analysed, index, decide, _decision_order, version=version, published_range=published_range
    )
    loaded, failed_load = load_each(outcomes, load)
    failures = failed + failed_decide + failed_load
    with store.connect() as con:
        quarantined = repo.record_batch(con, failures, [o.url for o in loaded], run_id, clock.now())
    return loaded + [
        Outcome(
            url=f.url,
            status="quarantined" if f.url in quarantined else "process_failed",
            reason=f"{f.stage}:{f.error}",
        )
        for f in failures
    ]
