"""One writer per database, through the real nightly flow: a second run waits for the first or exits clearly."""

from __future__ import annotations

import re
import threading
import time

import pytest

from flows.demo import write_demo_config
from flows.nightly import nightly
from tasks.runlock import RunLockedError, run_lock

from .conftest import rows

pytestmark = [pytest.mark.usefixtures("prefect_harness"), pytest.mark.timeout(360)]  # bounded in time


def _config(web, tmp_path, db_path, lock_timeout):
    settings_file, sources_file = write_demo_config(web, db_path, tmp_path)
    text = re.sub(r"(?m)^lock_timeout = .*$", f"lock_timeout = {lock_timeout}", settings_file.read_text())
    settings_file.write_text(text)
    return dict(db_path=str(db_path), sources_file=str(sources_file), settings_file=str(settings_file))


def test_a_run_on_a_locked_database_exits_with_one_line_and_writes_nothing(web, tmp_path):
    path = tmp_path / "news.duckdb"
    kwargs = _config(web, tmp_path, path, lock_timeout=0.5)
    requests_before = len(web.requests)
    with run_lock(path, 1, label="nightly"), pytest.raises(RunLockedError) as err:
        nightly(**kwargs)
    assert "\n" not in str(err.value) and "another run is writing this database" in str(err.value)
    assert len(web.requests) == requests_before  # nothing fetched
    assert not path.exists()  # the lock is taken before the database is opened or migrated


def test_a_second_run_waits_then_adds_nothing_and_marks_a_crashed_run(web, demo_db, tmp_path):
    import shutil

    clean, _ = demo_db
    path = tmp_path / "news.duckdb"
    shutil.copyfile(clean, path)
    from tasks import db

    with db.connect(path) as con:  # a run killed with -9 left its row `running` and a half-written snapshot
        con.execute(
            "INSERT INTO runs (run_id, flow, started_at, status) VALUES ('killed', 'nightly', now(), 'running')"
        )
    (tmp_path / "news.analyst.duckdb.999999.tmp").write_bytes(b"half")
    kwargs = _config(web, tmp_path, path, lock_timeout=30)
    held = threading.Event()

    def first_run_holding_the_lock():
        with run_lock(path, 1, label="nightly"):
            held.set()
            time.sleep(1.5)

    holder = threading.Thread(target=first_run_holding_the_lock)
    holder.start()
    held.wait(5)
    started = time.monotonic()
    before = {
        t: rows(path, f"SELECT count(*) FROM {t}")[0][0] for t in ("articles", "sightings", "raw_pages")
    }
    decided = (
        "SELECT url, status FROM urls WHERE status IN ('loaded', 'duplicate', 'irrelevant') ORDER BY url"
    )
    statuses_before = rows(path, decided)
    fetched_before = rows(path, "SELECT url, attempt, run_id FROM fetches ORDER BY ALL")
    nightly(**kwargs)
    holder.join()
    assert time.monotonic() - started >= 1.0  # it waited for the lock
    after = {t: rows(path, f"SELECT count(*) FROM {t}")[0][0] for t in ("articles", "sightings", "raw_pages")}
    assert after == before
    assert rows(path, decided) == statuses_before  # no status went back (loaded -> fetched)
    fetched_after = rows(path, "SELECT url, attempt, run_id FROM fetches ORDER BY ALL")
    assert set(fetched_before) <= set(fetched_after)  # the first run's requests are all still there
    assert len(set(fetched_after)) == len(fetched_after)  # no fetch row twice
    assert rows(path, "SELECT status FROM runs WHERE run_id = 'killed'") == [("crashed",)]
    assert not (tmp_path / "news.analyst.duckdb.999999.tmp").exists()
