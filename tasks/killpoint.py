"""Named points of a run where a test may kill the process outright (`kill -9`), to prove a rerun repairs it.

`NEWSMON_KILL_AT=<step>[:<n>]` makes the n-th arrival (default the first) at `reached("<step>")` send SIGKILL
to the process itself: no handler, `finally` or `atexit` runs, as when an operator or the OOM killer stops a
run. Unset (always, outside tests) `reached` reads one environment variable and returns.

Steps: `fetch-result` (a page's result journaled), `fetch-staged` (a batch fetched and its journal closed, not
merged), `fetch-merged` (merged, the journal not removed), `load-linked` (inside a load batch's transaction,
stories linked, not committed), `load-committed` (committed, the batch's date signals not written),
`templates-saved` (templates learned, no page redone), `templates-redone` (pages redone, not marked applied),
`run-finished` (the run recorded, the snapshot not published), `snapshot-copied` (the snapshot's temporary
copy written, not renamed).
"""

from __future__ import annotations

import os
import signal
import threading

ENV = "NEWSMON_KILL_AT"
_hits: dict[str, int] = {}
_lock = threading.Lock()


def reached(step: str) -> None:
    """Kill this process here if `NEWSMON_KILL_AT` names `step` and this is its n-th arrival."""
    wanted = os.environ.get(ENV)
    if not wanted:
        return
    name, _, nth = wanted.partition(":")
    if name != step:
        return
    with _lock:
        _hits[step] = _hits.get(step, 0) + 1
        if _hits[step] == int(nth or 1):
            os.kill(os.getpid(), signal.SIGKILL)
