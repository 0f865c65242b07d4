"""Kill -9 at any step of a real nightly run, rerun it: the clean run's rows, and no page fetched twice.

Each run is a `newsmon run` process against the simulated web this module serves; `NEWSMON_KILL_AT` makes the
first one SIGKILL itself at a named step (tasks/killpoint.py). The rerun, without it, must leave every table equal
to an uninterrupted run's (timestamps, run ids and response times aside), ask for no page whose fetch the killed
run had recorded, and mark the killed run `crashed`.
"""

from __future__ import annotations

import re
import signal
from collections import Counter
from urllib.parse import urlsplit

import pytest

from flows.demo import DEMO_NOW
from simweb import SimWeb
from tasks import db, staging

from .conftest import rows
from .killrun import differences, page_requests, prefect_api_url, run, start, tables, wait

pytestmark = pytest.mark.timeout(600)  # bounded in time

STEPS = [
    "fetch-result:20",  # 20 pages of the fetch batch journaled, others in flight
    "fetch-staged",  # the batch fetched and closed, not merged into the database
    "load-linked",  # inside a load batch's transaction, stories linked, not committed
    "load-committed",  # a load batch committed, its date signals not written
    "templates-saved",  # site templates learned, no page redone with them
    "templates-redone",  # pages redone, the template version not marked applied
    "snapshot-copied",  # run recorded, the analysts' snapshot half published
]
FINISHED = {"run-finished", "snapshot-copied"}  # the killed run had recorded itself completed


@pytest.fixture(scope="module")
def kweb():
    """This module's own simulated web: its one-off faults are reset before each pair of runs."""
    with SimWeb(now=DEMO_NOW, faults="demo") as web:
        yield web


@pytest.fixture(scope="module")
def api(prefect_harness):
    return prefect_api_url()


@pytest.fixture(scope="module")
def reference(kweb, api, tmp_path_factory):
    """One uninterrupted run: its database and the page requests it made."""
    directory = tmp_path_factory.mktemp("clean-run")
    kweb.reset_faults()
    before = len(kweb.requests)
    code, out = run(kweb, directory, directory / "news.duckdb", api)
    assert code == 0, out[-3000:]
    return directory / "news.duckdb", page_requests(kweb.requests[before:])


def run_id(output: str) -> str:
    """The run id in a run's summary (its table title, wrapped however the terminal width fell)."""
    found = re.findall(
        r"run([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})", "".join(output.split())
    )
    assert found, output[-2000:]
    return found[-1]


def _page(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.netloc, parts.path


@pytest.mark.parametrize("step", STEPS)
def test_killed_at_a_step_the_rerun_gives_the_clean_rows_without_refetching(
    kweb, api, reference, tmp_path, step
):
    clean, clean_requests = reference
    path = tmp_path / "news.duckdb"
    kweb.reset_faults()
    start = len(kweb.requests)
    code, out = run(kweb, tmp_path, path, api, kill_at=step)
    assert code == -signal.SIGKILL, out[-3000:]  # it did reach the step, and died there
    middle = len(kweb.requests)
    code, out = run(kweb, tmp_path, path, api)
    assert code == 0, out[-3000:]
    rerun = run_id(out)
    killed_asked = page_requests(kweb.requests[start:middle])
    rerun_asked = page_requests(kweb.requests[middle:])

    statuses = sorted(status for (status,) in rows(path, "SELECT status FROM runs"))
    assert statuses == (["completed", "completed"] if step in FINISHED else ["completed", "crashed"])
    # failed with attempts left: asked again by any later run, killed or not
    retried = {
        u
        for db_path in (path, clean)
        for (u,) in rows(db_path, "SELECT url FROM urls WHERE status = 'failed'")
    }
    # pages whose fetch the killed run recorded (its journal merged by the rerun): none asked again
    fetched = "SELECT url, request_url FROM fetches WHERE run_id {} ?"
    recorded = {_page(r) for u, r in rows(path, fetched.format("<>"), [rerun]) if u not in retried}
    assert recorded
    assert sorted(recorded & set(rerun_asked)) == []  # zero refetches
    # pages the killed run asked for and the rerun asked again: only those in flight at the kill (or retried)
    asked_again = {u for u, r in rows(path, fetched.format("="), [rerun]) if _page(r) in killed_asked}
    settled = {page: n for page, n in clean_requests.items() if page not in {_page(u) for u in retried}}
    asked = Counter({page: n for page, n in (killed_asked + rerun_asked).items() if page in settled})
    assert set(asked) == set(settled)  # every page asked for
    if not step.startswith("fetch-result"):
        assert asked_again <= retried
        assert asked == settled  # and no page asked more often than by one clean run
    # what the rerun left equals the clean run's, table by table
    leave_out = retried | asked_again
    assert differences(tables(path, leave_out), tables(clean, leave_out)) == {}
    assert db.snapshot_path(path).exists()
    assert not list(tmp_path.glob("*.tmp")) and not list(staging.staging_dir(path).glob("*"))
    assert not db.wal_path(path).exists()


def _wait_all(procs) -> list[tuple[int, str]]:
    return [wait(p) for p in procs]


def test_two_runs_started_at_once_on_one_database_leave_one_runs_rows(kweb, api, reference, tmp_path):
    """The second waits on the run lock (`lock_timeout = 30`), then finds everything done: no page is fetched
    twice and the rows are one run's."""
    clean, clean_requests = reference
    path = tmp_path / "news.duckdb"
    kweb.reset_faults()
    before = len(kweb.requests)
    procs = [start(kweb, tmp_path / name, path, api) for name in ("first", "second")]
    results = _wait_all(procs)
    assert [code for code, _ in results] == [0, 0], [out[-3000:] for _, out in results]
    ids = [run_id(out) for _, out in results]
    assert sorted(status for (status,) in rows(path, "SELECT status FROM runs")) == ["completed", "completed"]
    retried = {
        u
        for db_path in (path, clean)
        for (u,) in rows(db_path, "SELECT url FROM urls WHERE status = 'failed'")
    }
    fetched_by = dict(
        rows(
            path,
            "SELECT run_id, count(*) FROM fetches WHERE url NOT IN (SELECT unnest(?::VARCHAR[])) GROUP BY 1",
            [sorted(retried)],
        )
    )
    assert len(fetched_by) == 1 and set(fetched_by) < set(
        ids
    )  # one run fetched; the other waited, then had nothing to do
    settled = {_page(u) for u in retried}
    asked = Counter({p: n for p, n in page_requests(kweb.requests[before:]).items() if p not in settled})
    assert asked == Counter(
        {p: n for p, n in clean_requests.items() if p not in settled}
    )  # no page fetched twice
    assert differences(tables(path, retried), tables(clean, retried)) == {}


def test_a_second_run_at_once_exits_with_one_line_when_it_may_not_wait(kweb, api, reference, tmp_path):
    """With `lock_timeout = 0.5` the run that did not get the lock exits 1 with one line naming the holder,
    having written nothing; the other run's rows are one clean run's."""
    clean, _ = reference
    path = tmp_path / "news.duckdb"
    kweb.reset_faults()
    procs = [start(kweb, tmp_path / name, path, api, lock_timeout=0.5) for name in ("first", "second")]
    results = sorted(_wait_all(procs))
    (done, done_out), (refused, refused_out) = results
    assert (done, refused) == (0, 1), [out[-3000:] for _, out in results]
    last = [line for line in refused_out.splitlines() if line.strip()][-1]
    assert last.startswith("RunLockedError: ") and "another run is writing this database (pid " in last
    assert "nightly since" in last and "waited 0 s" in last, last
    assert rows(path, "SELECT status FROM runs") == [("completed",)]  # the refused run left no row
    assert differences(tables(path), tables(clean)) == {}


def test_two_runs_at_once_on_two_databases_in_one_folder_each_get_their_own_rows(kweb, api, tmp_path):
    """Separate locks, staging folders and snapshots: both run at the same time, and each database holds its own
    run's rows only (the same rows: the web has no one-off faults here, so both runs meet the same pages)."""
    kweb.clear_faults()
    try:
        paths = [tmp_path / "news.duckdb", tmp_path / "demo.duckdb"]
        procs = [start(kweb, tmp_path / f"config-{p.stem}", p, api) for p in paths]
        results = _wait_all(procs)
    finally:
        kweb.reset_faults()
    assert [code for code, _ in results] == [0, 0], [out[-3000:] for _, out in results]
    for path, (_, out) in zip(paths, results, strict=True):
        own = run_id(out)
        assert rows(path, "SELECT DISTINCT run_id FROM runs") == [(own,)]
        for table in ("fetches", "raw_pages", "raw_bodies"):
            assert rows(path, f"SELECT DISTINCT run_id FROM {table}") == [(own,)], table
        assert rows(path, "SELECT count(*) FROM articles")[0][0] > 0
        assert db.snapshot_path(path).exists() and not list(staging.staging_dir(path).glob("*"))
    assert differences(tables(paths[0]), tables(paths[1])) == {}
