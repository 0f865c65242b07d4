"""One writer per database: the run lock, crashed runs, stale temporary files, per-database staging."""

import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from tasks import db, runlock, staging
from tasks.runlock import RunLockedError, mark_crashed, remove_stale_files, run_lock

pytestmark = pytest.mark.timeout(60)  # bounded in time


def test_second_holder_waits_then_fails_with_one_line(tmp_path: Path):
    path = tmp_path / "news.duckdb"
    with run_lock(path, 1, label="nightly"):
        started = time.monotonic()
        with pytest.raises(RunLockedError) as err, run_lock(path, 0.3):
            pass
        assert 0.25 <= time.monotonic() - started < 3
    message = str(err.value)
    assert (
        "\n" not in message and "news.duckdb" in message and "nightly" in message and "waited 0 s" in message
    )
    with run_lock(path, 0):  # released: free again at once
        pass


def test_lock_is_per_database(tmp_path: Path):
    with run_lock(tmp_path / "a.duckdb", 0), run_lock(tmp_path / "b.duckdb", 0):
        pass


def test_second_run_waits_for_the_first_to_finish(tmp_path: Path):
    path = tmp_path / "news.duckdb"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(
                f"""
                import sys, time
                from tasks.runlock import run_lock
                with run_lock({str(path)!r}, 5):
                    print("held", flush=True)
                    time.sleep(1.0)
                """
            ),
        ],
        cwd=Path(__file__).resolve().parent.parent,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        started = time.monotonic()
        with run_lock(path, 10):
            waited = time.monotonic() - started
        assert 0.3 < waited < 8
    finally:
        holder.wait(10)


def test_a_killed_holder_leaves_no_lock(tmp_path: Path):
    path = tmp_path / "news.duckdb"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import time\nfrom tasks.runlock import run_lock\nwith run_lock({str(path)!r}, 5):\n"
            "    print('held', flush=True)\n    time.sleep(60)\n",
        ],
        cwd=Path(__file__).resolve().parent.parent,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout.readline().strip() == "held"
    with pytest.raises(RunLockedError), run_lock(path, 0.1):
        pass
    holder.kill()  # kill -9
    holder.wait(10)
    with run_lock(path, 2):
        pass


def test_mark_crashed_and_stale_files(tmp_path: Path):
    path = tmp_path / "news.duckdb"
    with db.connect(path) as con:
        db.migrate(con)
        con.execute(
            "INSERT INTO runs (run_id, flow, started_at, status) VALUES "
            "('old', 'nightly', now(), 'running'), ('done', 'nightly', now(), 'completed'), "
            "('me', 'nightly', now(), 'running')"
        )
        assert mark_crashed(con, "me") == 1
        rows = dict(con.execute("SELECT run_id, status FROM runs").fetchall())
        assert rows == {"old": "crashed", "done": "completed", "me": "running"}
        assert con.execute(
            "SELECT error IS NOT NULL, finished_at IS NOT NULL FROM runs WHERE run_id = 'old'"
        ).fetchone() == (True, True)
    half = tmp_path / "news.analyst.duckdb.4242.tmp"
    half.write_bytes(b"half a snapshot")
    stage = staging.staging_dir(path)
    stage.mkdir()
    (stage / "run-0001.jsonl.tmp").write_bytes(b"x")
    kept = stage / "run-0002.jsonl.gz"
    kept.write_bytes(b"a whole staged batch")
    other = tmp_path / "other.analyst.duckdb.1.tmp"  # another database's: not ours to remove
    other.write_bytes(b"x")
    assert sorted(p.name for p in remove_stale_files(path)) == [
        "news.analyst.duckdb.4242.tmp",
        "run-0001.jsonl.tmp",
    ]
    assert kept.exists() and other.exists() and not half.exists()
    assert runlock.begin_run(path, 5) == {
        "crashed_runs": 1,
        "stale_files": 0,
        "adopted_batches": 0,
    }  # "me" left running


def test_staging_is_per_database(tmp_path: Path):
    a, b = staging.staging_dir(tmp_path / "demo.duckdb"), staging.staging_dir(tmp_path / "news.duckdb")
    assert a != b and a.parent == b.parent == tmp_path
    assert a.name == "demo.duckdb.staging"


def test_batches_in_the_old_shared_staging_folder_go_to_their_own_database(tmp_path: Path):
    from datetime import UTC, datetime

    from tasks.models import FetchResult

    legacy = tmp_path / "staging"
    at = datetime(2024, 6, 19, tzinfo=UTC)
    ours = staging.write_batch(
        legacy, "run-news-0000", [FetchResult(url="https://a.example/1")], "run-news", at
    )
    theirs = staging.write_batch(
        legacy, "run-demo-0000", [FetchResult(url="https://b.example/1")], "run-demo", at
    )
    (legacy / "garbage.jsonl.gz").write_bytes(b"not gzip")
    path = tmp_path / "news.duckdb"
    with db.connect(path) as con:
        db.migrate(con)
        con.execute(
            "INSERT INTO runs (run_id, flow, started_at, status) VALUES ('run-news', 'nightly', now(), 'failed')"
        )
    assert runlock.begin_run(path, 5)["adopted_batches"] == 1
    assert staging.pending_batches(staging.staging_dir(path)) == [staging.staging_dir(path) / ours.name]
    assert theirs.exists() and (legacy / "garbage.jsonl.gz").exists()


ANALYST = """
import sys, time, duckdb
con = duckdb.connect(sys.argv[1], read_only=True)
print("reading", flush=True)
time.sleep(float(sys.argv[2]))
con.close()
"""


@pytest.mark.timeout(240)  # a real flow run that waits 30 s for the lock: slow on a busy machine
@pytest.mark.parametrize(("lock_timeout", "completes"), [(30, True), (0.5, False)])
def test_a_run_waits_for_an_analyst_as_long_as_the_settings_say(
    tmp_path: Path, prefect_harness, lock_timeout, completes
):
    """An analyst holding the pipeline's own file read-only: the run waits `[database].lock_timeout`, no less."""
    from flows.reprocess import reprocess
    from tasks.store import Store

    path = tmp_path / "news.duckdb"
    Store(path, lock_timeout=5).migrate()
    settings = tmp_path / "newsmon.toml"
    settings.write_text(f'[database]\npath = "{path}"\nlock_timeout = {lock_timeout}\nsnapshot = false\n')
    analyst = subprocess.Popen(
        [sys.executable, "-c", ANALYST, str(path), "3"], stdout=subprocess.PIPE, text=True
    )
    try:
        assert analyst.stdout.readline().strip() == "reading"
        started = time.monotonic()
        if completes:
            reprocess(db_path=str(path), settings_file=str(settings))
            assert time.monotonic() - started >= 2.0  # it waited for the analyst to finish
        else:
            with pytest.raises(db.DatabaseLockedError, match="waited 0 s|waited 1 s"):
                reprocess(db_path=str(path), settings_file=str(settings))
    finally:
        analyst.wait(timeout=20)
