"""Fetched batches are staged on disk before they are merged into DuckDB.

If the database is locked (an analyst's long query on the pipeline's own file, a second writer) the merge waits,
then gives up; the staged file stays and the next run merges it first, so fetched pages are never lost or refetched.
"""

from __future__ import annotations

import base64
import gzip
import json
import os
from dataclasses import asdict
from datetime import datetime
from pathlib import Path

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
            row = asdict(r)
            row["body"] = base64.b64encode(r.body).decode("ascii") if r.body is not None else None
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    os.replace(tmp, path)  # a half-written batch is never picked up
    return path


def read_batch(path: Path) -> tuple[str, datetime, list[FetchResult]]:
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        header = json.loads(fh.readline())
        results = []
        for line in fh:
            row = json.loads(line)
            row["body"] = base64.b64decode(row["body"]) if row["body"] is not None else None
            row["attempts"] = [Attempt(**a) for a in row["attempts"]]
            results.append(FetchResult(**row))
    return header["run_id"], datetime.fromisoformat(header["fetched_at"]), results


def batch_run_id(path: Path) -> str:
    """The run that staged `path` (its header line only)."""
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        return json.loads(fh.readline())["run_id"]


def pending_batches(directory: Path) -> list[Path]:
    return sorted(directory.glob("*.jsonl.gz")) if directory.exists() else []
