"""One writer per database: a run holds an exclusive file lock beside its database for as long as it runs.

`with run_lock(db_path, timeout):` waits (bounded) for another run on the same database to finish, then raises
`RunLockedError` with a one-line message naming the holder. The lock is `fcntl.flock` on `<db>.lock`: the kernel
drops it when its holder exits, however it exits (kill -9 included), so a lock is never left stale. While it is
held, a `running` row in `runs` can only belong to a process that died: `mark_crashed` says so, and
`remove_stale_files` removes temporary files such a process left (half-written snapshots, staged batch temps).
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import duckdb


class RunLockedError(RuntimeError):
    """Another run holds the database's run lock for longer than the wait allowed."""


def lock_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".lock")


def _holder(path: Path) -> str:
    try:
        text = path.read_text(encoding="utf-8").strip()
    except OSError:
        return "unknown holder"
    return text or "unknown holder"


@contextmanager
def run_lock(db_path: Path, timeout: float = 120.0, *, label: str = "run") -> Iterator[Path]:
    """Hold `<db>.lock` for the duration of the block; wait up to `timeout` seconds for it."""
    db_path = Path(db_path)
    path = lock_path(db_path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + timeout
        pause = 0.05
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise RunLockedError(
                        f"{db_path}: another run is writing this database ({_holder(path)}); "
                        f"waited {timeout:.0f} s — try again when it has finished"
                    ) from None
                time.sleep(pause)
                pause = min(pause * 2, 1.0)
        os.ftruncate(fd, 0)
        os.pwrite(
            fd, f"pid {os.getpid()} {label} since {datetime.now(UTC):%Y-%m-%d %H:%M:%S} UTC\n".encode(), 0
        )
        try:
            yield path
        finally:
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def mark_crashed(con: duckdb.DuckDBPyConnection, current_run_id: str | None = None) -> int:
    """Mark runs left `running` by a process that died as `crashed`; call while holding the run lock."""
    rows = con.execute(
        "UPDATE runs SET status = 'crashed', finished_at = coalesce(finished_at, now()), "
        "error = coalesce(error, 'the process running it stopped without finishing (found by a later run)') "
        "WHERE status = 'running' AND run_id IS DISTINCT FROM ? RETURNING run_id",
        [current_run_id],
    ).fetchall()
    return len(rows)


def remove_stale_files(db_path: Path) -> list[Path]:
    """Temporary files a dead run left beside the database: snapshot copies (`*.tmp`) and staged batch temps."""
    from tasks import db, staging

    db_path = Path(db_path)
    snapshot = db.snapshot_path(db_path)
    found = list(db_path.parent.glob(f"{snapshot.name}.*.tmp"))
    stage = staging.staging_dir(db_path)
    if stage.exists():
        found += list(stage.glob("*.tmp"))
    for path in found:
        path.unlink(missing_ok=True)
    return found


def begin_run(db_path: Path, lock_timeout: float = 120.0) -> dict:
    """What a run does first, holding the lock (after migrations): crashed runs marked, stale temp files removed."""
    from tasks import db

    with db.connect(Path(db_path), lock_timeout=lock_timeout) as con:
        crashed = mark_crashed(con)
        adopted = adopt_legacy_staging(Path(db_path), con)
    return {
        "crashed_runs": crashed,
        "stale_files": len(remove_stale_files(db_path)),
        "adopted_batches": adopted,
    }


def adopt_legacy_staging(db_path: Path, con: duckdb.DuckDBPyConnection) -> int:
    """Move this database's batches out of the old shared `<dir>/staging/` into `<db>.staging/`.

    Earlier versions staged every database of a folder in one `staging/`; a batch belongs to the database whose
    `runs` has its run id (runs are recorded before anything is fetched). Other databases' batches stay.
    """
    from tasks import staging

    legacy = db_path.parent / "staging"
    batches = staging.pending_batches(legacy)
    if not batches:
        return 0
    owners = {}
    for path in batches:
        try:
            owners[path] = staging.batch_run_id(path)
        except (OSError, ValueError, EOFError):
            continue  # unreadable: left where it is for whoever owns it
    ours = {
        run_id
        for (run_id,) in con.execute(
            "SELECT run_id FROM runs WHERE run_id IN (SELECT unnest(?))", [sorted(set(owners.values()))]
        ).fetchall()
    }
    target = staging.staging_dir(db_path)
    moved = 0
    for path, run_id in owners.items():
        if run_id in ours:
            target.mkdir(parents=True, exist_ok=True)
            os.replace(path, target / path.name)
            moved += 1
    return moved
