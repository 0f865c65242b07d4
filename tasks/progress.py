"""How far a run has got, stage by stage, for whoever shows it: the CLI's live display, a flow's progress artifact.

The flows report with `start(stage, total)` and `advance(stage, n)`; a listener registered with `listening(fn)`
is called with (stage, done, total) after each report, from the reporting thread. Without a listener a report
costs a dictionary update. Stages are plain names: "discover" (sources read), "fetch" (pages), "process"
(pages decided and loaded), "windows" (backfill windows).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

Listener = Callable[[str, int, "int | None"], None]

_lock = threading.Lock()
_listeners: list[Listener] = []
_state: dict[str, list] = {}  # stage -> [done, total]


def start(stage: str, total: int | None = None) -> None:
    """A stage begins (again) with `total` items to do (None: unknown)."""
    with _lock:
        _state[stage] = [0, total]
    _emit(stage)


def advance(stage: str, n: int = 1) -> None:
    """`n` more items of `stage` done; a total grows to cover what is done."""
    with _lock:
        entry = _state.setdefault(stage, [0, None])
        entry[0] += n
        if entry[1] is not None and entry[0] > entry[1]:
            entry[1] = entry[0]
    _emit(stage)


def grow(stage: str, n: int) -> None:
    """`n` more items to do in `stage` (a backfill's later windows add pages to fetch)."""
    with _lock:
        entry = _state.setdefault(stage, [0, 0])
        entry[1] = (entry[1] or 0) + n
    _emit(stage)


def report(stage: str) -> None:
    """Tell the listeners where `stage` is now (after work done on other threads)."""
    if stage in _state:
        _emit(stage)


def snapshot() -> dict[str, tuple[int, int | None]]:
    with _lock:
        return {stage: (done, total) for stage, (done, total) in _state.items()}


def _emit(stage: str) -> None:
    with _lock:
        if not _listeners:
            return
        done, total = _state[stage]
        listeners = list(_listeners)
    for listener in listeners:
        listener(stage, done, total)


@contextmanager
def listening(listener: Listener) -> Iterator[None]:
    """Call `listener` on every report while the block runs; the stages start afresh unless someone else is
    already listening."""
    with _lock:
        if not _listeners:  # a flow's own listener joins the command's display without resetting it
            _state.clear()
        _listeners.append(listener)
    try:
        yield
    finally:
        with _lock:
            _listeners.remove(listener)
