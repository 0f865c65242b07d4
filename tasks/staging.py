"""Fetched batches are staged on disk before they are merged into DuckDB.

If the database is locked (an analyst's long query on the pipeline's own file, a second writer) the merge waits,
then gives up; the staged file stays and the next run merges it first, so fetched pages are never lost or refetched.

A batch being fetched is staged as its journal (`<name>.journal.gz`, one gzip member per line, flushed as it is
written): each result is appended as soon as its page is done, and a last line with the batch's end time closes
it. A run killed in the middle of a batch leaves the journal: the next run merges what it holds (up to its last
complete line), so the pages the killed run had already fetched are not fetched again and its requests are in
`fetches`. (Whole batches written at once, `write_batch`, are still read.)
"""

from __future__ import annotations

import base64
import gzip
import json
import os
import threading
import zlib
from dataclasses import asdict
from datetime import datetime
from pathlib import Path

from tasks import killpoint
from tasks.models import Attempt, FetchResult


def staging_dir(db_path: Path) -> Path:
    """Per database: `<db>.staging/` beside it (two databases in one folder never share staged batches)."""
    return db_path.with_name(db_path.name + ".staging")


def write_batch(
    directory: Path, name: str, results: list[FetchResult], run_id: str, fetched_at: datetime
) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{name}.jsonl.gz"
    tmp = path.with_suffix(".tmp")
    with gzip.open(tmp, "wt", encoding="utf-8") as fh:
        fh.write(json.dumps({"run_id": run_id, "fetched_at": fetched_at.isoformat()}) + "\n")
        for r in results:
            fh.write(_row(r))
    os.replace(tmp, path)  # a half-written batch is never picked up
    return path


JOURNAL_SUFFIX = ".journal.gz"


def _row(r: FetchResult) -> str:
    row = asdict(r)
    row["body"] = base64.b64encode(r.body).decode("ascii") if r.body is not None else None
    return json.dumps(row, ensure_ascii=False) + "\n"


def _result(line: str) -> FetchResult:
    row = json.loads(line)
    row["body"] = base64.b64decode(row["body"]) if row["body"] is not None else None
    row["attempts"] = [Attempt(**a) for a in row["attempts"]]
    return FetchResult(**row)


class Journal:
    """The results of a batch being fetched, appended one by one (thread-safe); removed once the batch is merged."""

    def __init__(self, directory: Path, name: str, run_id: str, fetched_at: datetime) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        self.path = directory / f"{name}{JOURNAL_SUFFIX}"
        self._lock = threading.Lock()
        self._fh = open(self.path, "wb")  # noqa: SIM115 - closed by close()
        self._write(json.dumps({"run_id": run_id, "fetched_at": fetched_at.isoformat()}) + "\n")

    def _write(self, line: str) -> None:
        self._fh.write(gzip.compress(line.encode("utf-8"), compresslevel=1, mtime=0))
        self._fh.flush()

    def append(self, result: FetchResult) -> None:
        with self._lock:
            self._write(_row(result))
        killpoint.reached("fetch-result")

    def finish(self, fetched_at: datetime) -> None:
        """The batch is complete: its end time (the rows' fetched_at when merged) closes the journal."""
        with self._lock:
            self._write(json.dumps({"finished_at": fetched_at.isoformat()}) + "\n")
            self._fh.close()

    def close(self) -> None:
        with self._lock:
            self._fh.close()

    def remove(self) -> None:
        self.close()
        self.path.unlink(missing_ok=True)


def read_batch(path: Path) -> tuple[str, datetime, list[FetchResult]]:
    """A staged batch, or what a journal holds up to its last complete line (a killed run's last write)."""
    journal = path.name.endswith(JOURNAL_SUFFIX)
    results = []
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        header = json.loads(fh.readline())
        fetched_at = header["fetched_at"]
        try:
            for line in fh:
                if line.startswith('{"finished_at"'):  # a journal's last line
                    fetched_at = json.loads(line)["finished_at"]
                    break
                results.append(_result(line))
        except (EOFError, gzip.BadGzipFile, zlib.error, json.JSONDecodeError, UnicodeDecodeError):
            if not journal:
                raise
    return header["run_id"], datetime.fromisoformat(fetched_at), results


def batch_run_id(path: Path) -> str:
    """The run that staged `path` (its header line only)."""
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        return json.loads(fh.readline())["run_id"]


def pending_batches(directory: Path) -> list[Path]:
    """Staged batches and journals left by killed runs, oldest name first (a batch before its own journal)."""
    if not directory.exists():
        return []
    batches = sorted(directory.glob("*.jsonl.gz"))
    names = {p.name.removesuffix(".jsonl.gz") for p in batches}
    # a journal whose batch was staged whole is a copy of it: only the batch is merged (see `discard`)
    journals = [
        j for j in directory.glob(f"*{JOURNAL_SUFFIX}") if j.name.removesuffix(JOURNAL_SUFFIX) not in names
    ]
    return sorted([*batches, *journals])


def discard(path: Path) -> None:
    """Remove a merged batch and its journal, if one is left."""
    name = path.name.removesuffix(".jsonl.gz").removesuffix(JOURNAL_SUFFIX)
    path.unlink(missing_ok=True)
    (path.parent / f"{name}{JOURNAL_SUFFIX}").unlink(missing_ok=True)
