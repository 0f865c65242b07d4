"""The one owner of DuckDB connections: opening (with a wait on locks), migrations, the analysts' snapshot.

Connections are short-lived and never shared across threads. DuckDB lets one process write a file and no
other process read it meanwhile, so analysts read a snapshot that is published by atomic rename after loads.
"""

from __future__ import annotations

import os
import re
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
from tasks import killpoint

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "duckdb"
_MIGRATION_NAME = re.compile(r"^(\d{3})_[a-z0-9_]+\.sql$")


class DatabaseLockedError(RuntimeError):
    """The database file stayed locked by another process for longer than the configured wait."""


def _is_lock_error(exc: Exception) -> bool:
    text = str(exc).lower()
    return "lock" in text and ("could not set lock" in text or "conflicting lock" in text)


@contextmanager
def connect(
    path: Path, *, read_only: bool = False, lock_timeout: float = 120.0
) -> Iterator[duckdb.DuckDBPyConnection]:
    """Open `path`, waiting (with backoff) while another process holds its lock."""
    path.parent.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + lock_timeout
    pause = 0.05
    while True:
        try:
            con = duckdb.connect(str(path), read_only=read_only)
            break
        except duckdb.IOException as exc:
            if not _is_lock_error(exc):
                raise
            if time.monotonic() >= deadline:
                raise DatabaseLockedError(
                    f"{path} is locked by another process (waited {lock_timeout:.0f} s): {exc}"
                ) from exc
            time.sleep(pause)
            pause = min(pause * 2, 2.0)
    try:
        con.execute("SET TimeZone = 'UTC'")
        yield con
    finally:
        con.close()


def wal_path(path: Path) -> Path:
    return path.with_name(path.name + ".wal")


def recover(path: Path, lock_timeout: float = 120.0) -> bool:
    """Replay and checkpoint the write-ahead log a writer that died (kill -9, power loss) left; True if it had to.

    The log holds the dead writer's committed transactions and DuckDB replays it on open, but a run that then
    deletes replayed rows of an indexed table (a page redone) fails at COMMIT with `FatalException: Failed to
    delete all rows from index` and the database is invalidated for the rest of the run (DuckDB 1.5.5; found
    by killing a run right after a load batch's commit and rerunning it). A checkpoint straight after the replay
    writes the replayed rows and their indexes out whole, and the failure does not happen. Call it holding the
    run lock (no other writer can have the log open).
    """
    path = Path(path)
    if not wal_path(path).exists():
        return False
    with connect(path, lock_timeout=lock_timeout) as con:
        con.execute("CHECKPOINT")
    return True


def migrations() -> list[tuple[int, Path]]:
    found = []
    for path in sorted(MIGRATIONS_DIR.glob("*.sql")):
        match = _MIGRATION_NAME.match(path.name)
        if match:
            found.append((int(match.group(1)), path))
    return found


def migrate(con: duckdb.DuckDBPyConnection) -> int:
    """Apply numbered migrations not yet applied, each in its own transaction. Returns the schema version."""
    con.execute(
        "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ DEFAULT now())"
    )
    current = con.execute("SELECT coalesce(max(version), 0) FROM schema_version").fetchone()[0]
    for version, path in migrations():
        if version <= current:
            continue
        con.execute("BEGIN")
        try:
            con.execute(path.read_text(encoding="utf-8"))
            con.execute("INSERT INTO schema_version (version) VALUES (?)", [version])
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise
        current = version
    return current


def fts_extension_path() -> Path:
    """DuckDB cannot download extensions here; the fts extension ships as a wheel and loads by path."""
    import duckdb_extension_fts

    base = Path(duckdb_extension_fts.__file__).parent / "extensions"
    found = sorted(base.glob(f"v{duckdb.__version__}/fts.duckdb_extension"))
    if not found:
        raise RuntimeError(f"no fts extension for DuckDB {duckdb.__version__} under {base}")
    return found[0]


def load_fts(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(f"LOAD '{fts_extension_path()}'")


_READ_ONLY_SETTINGS = (
    "SET enable_external_access = false",  # no COPY TO, read_text/read_csv, ATTACH, INSTALL/LOAD, EXPORT
    "SET autoinstall_known_extensions = false",
    "SET autoload_known_extensions = false",
    "SET allow_community_extensions = false",
    "SET lock_configuration = true",  # and no SET/RESET/PRAGMA may undo any of it
)


def restrict_to_database(con: duckdb.DuckDBPyConnection) -> None:
    """Confine a connection to its own database: no file or network access, configuration locked.

    For analysts' SQL (`newsmon query`): load what the queries need (fts) before calling this.
    """
    for statement in _READ_ONLY_SETTINGS:
        con.execute(statement)


def build_fts_index(con: duckdb.DuckDBPyConnection) -> None:
    """(Re)build the full-text index over articles; cheap at our sizes, so rebuilt after each load."""
    load_fts(con)
    con.execute(
        "PRAGMA create_fts_index('articles', 'article_id', 'title', 'text', stemmer = 'none', "
        "strip_accents = 1, lower = 1, overwrite = 1)"
    )


def fts_index_exists(con: duckdb.DuckDBPyConnection) -> bool:
    row = con.execute("SELECT 1 FROM duckdb_schemas() WHERE schema_name = 'fts_main_articles'").fetchone()
    return row is not None


def snapshot_path(path: Path) -> Path:
    return path.with_name(path.stem + ".analyst" + path.suffix)


def publish_snapshot(path: Path, snapshot: Path | None = None, lock_timeout: float = 120.0) -> Path:
    """Copy the database to `snapshot` by write-then-rename, so a reader never sees a half-written file.

    A copy left half-written by a killed run (`<snapshot>.<pid>.tmp`) is removed by the next run
    (`tasks.runlock.remove_stale_files`)."""
    with connect(path, lock_timeout=lock_timeout) as con:
        con.execute("CHECKPOINT")
    snapshot = snapshot or snapshot_path(path)
    tmp = snapshot.with_name(snapshot.name + f".{os.getpid()}.tmp")
    shutil.copyfile(path, tmp)
    killpoint.reached("snapshot-copied")
    os.replace(tmp, snapshot)
    return snapshot
