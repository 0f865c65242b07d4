"""GDELT 2.0 Global Knowledge Graph files: coverage older than the DOC API reaches, 15 minutes at a time.

Each 15-minute slot has a zipped, tab-separated GKG 2.1 file per stream: `YYYYMMDDHHMMSS.gkg.csv.zip`
(English) and `YYYYMMDDHHMMSS.translation.gkg.csv.zip` (translated from 65 languages). A file is read
row by row straight out of the zip; a row is kept when its locations, persons, organisations and themes
match every group of the filter (by default: Russia and North Korea), and only its document URL (with the
title and publication time GDELT gives in its extras) becomes a candidate.

File names come from the clock (`listing="direct"`) or from `masterfilelist.txt` (`listing="master"`,
which also gives each file's size and MD5 to check; the real list is hundreds of megabytes, so direct is
the default). Progress is per file: `SearchResult.finished` names the files done (read, or missing for
good), and a later run passes them back as `done` to skip them; `max_files` bounds one run.

The file format (rows, the filter, zipped files, master lists) is `tasks.sources.gkgfile`.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urljoin

from tasks.models import Candidate, Source
from tasks.sources import Fetch
from tasks.sources.base import SearchResult, WindowedSource, absorb, check_options
from tasks.sources.gkgfile import (
    MASTER_LISTS,
    STREAMS,
    TOPIC_FILTER,
    FileStats,
    GkgFile,
    GkgFilter,
    parse_master_list,
    read_gkg_zip,
    to_candidate,
)
from tasks.sources.service import CountingFetch
from tasks.sources.state import SourceState
from tasks.sources.window import Window

SLOT = timedelta(minutes=15)


@dataclass
class _Run:
    files: int = 0
    missing: int = 0
    failed: int = 0
    bytes: int = 0
    stats: FileStats = field(default_factory=FileStats)


class GkgSource(WindowedSource):
    kind = "gkg"
    nightly = False  # ~96 files a day of the whole world's coverage; the DOC API answers the last day
    resumes_by_mark = False  # its progress is the files done (gkg_files)

    def __init__(
        self,
        gkg_filter: GkgFilter = TOPIC_FILTER,
        *,
        streams: Collection[str] = ("gkg", "translation"),
        listing: str = "direct",
        max_files: int | None = None,
        max_consecutive_errors: int = 5,
    ) -> None:
        unknown = set(streams) - set(STREAMS)
        if unknown:
            raise ValueError(f"gkg: unknown stream(s) {sorted(unknown)}; expected {sorted(STREAMS)}")
        if listing not in ("direct", "master"):
            raise ValueError('gkg: listing must be "direct" or "master"')
        self.filter = gkg_filter
        self.streams = tuple(s for s in STREAMS if s in streams)
        self.listing = listing
        self.max_files = max_files
        self.max_consecutive_errors = max_consecutive_errors

    @classmethod
    def from_options(cls, options: dict[str, Any], topic: Any = None) -> GkgSource:
        check_options("gkg", options, {"filter", "streams", "listing", "max_files", "max_consecutive_errors"})
        table = options.pop("filter", None)
        gkg_filter = GkgFilter.from_options(table) if table else TOPIC_FILTER
        return cls(gkg_filter, **options)

    def discover(
        self, source: Source, window: Window, fetch: Fetch, *, now: datetime, done: Collection[str] = ()
    ) -> SearchResult:
        result = SearchResult()
        for _ in self._walk(source, window, fetch, now=now, done=done, result=result):
            pass
        return result

    def stream(
        self, window: Window | None, fetch: Fetch, state: SourceState, *, now: datetime
    ) -> Iterator[Candidate]:
        """Candidates file by file (a window may span hundreds of files); files already done are skipped."""
        if window is None:
            state.notes.append("gkg: answers for a time window; none given")
            return
        result = SearchResult()
        handed = 0
        for _ in self._walk(self.config, window, fetch, now=now, done=state.done, result=result):
            for candidate in result.candidates[handed:]:
                state.items += 1
                yield candidate
            handed = len(result.candidates)
        result.candidates = result.candidates[handed:]
        yield from absorb(result, state)

    def _walk(
        self,
        source: Source,
        window: Window,
        fetch: Fetch,
        *,
        now: datetime,
        done: Collection[str],
        result: SearchResult,
    ) -> Iterator[None]:
        """Read the window's files into `result`, yielding after each file."""
        calls = CountingFetch(fetch)
        usable = window.clip(end=now)
        if usable is None:
            result.notes.append(f"gkg: window {window} is in the future")
            return
        files = self._files(source, usable, calls, result)
        if files is None:
            self._finish(result, calls, _Run(), 0.0)
            return
        todo = [f for f in files if f.name not in done]
        if len(todo) < len(files):
            result.notes.append(f"gkg: {len(files) - len(todo)} files already done, skipped")
        if self.max_files is not None and len(todo) > self.max_files:
            result.notes.append(f"gkg: {len(todo) - self.max_files} files left for a later run (max_files)")
            todo = todo[: self.max_files]
        run = _Run()
        started = time.perf_counter()
        consecutive = 0
        for gkg_file in todo:
            if self._read_file(gkg_file, source, calls, result, run):
                consecutive = 0
            else:
                consecutive += 1
                if consecutive >= self.max_consecutive_errors:
                    result.errors.append(f"gkg: stopped after {consecutive} failed files in a row")
                    break
            result.requests = calls.count
            yield
        self._finish(result, calls, run, time.perf_counter() - started)

    def _finish(self, result: SearchResult, calls: CountingFetch, run: _Run, seconds: float) -> SearchResult:
        result.requests = calls.count
        result.stats.update(
            files=run.files,
            files_missing=run.missing,
            files_failed=run.failed,
            rows=run.stats.rows,
            rows_kept=run.stats.kept,
            rows_malformed=run.stats.malformed,
            rows_not_web=run.stats.not_web,
            bytes=run.bytes,
            seconds=round(seconds, 3),
        )
        if seconds > 0:
            result.stats["files_per_s"] = round(run.files / seconds, 1)
            result.stats["rows_per_s"] = round(run.stats.rows / seconds, 1)
        if run.stats.malformed:
            result.notes.append(f"gkg: {run.stats.malformed} malformed rows skipped")
        if run.missing:
            result.notes.append(f"gkg: {run.missing} files missing on the server (404), marked done")
        return result

    def _files(
        self, source: Source, window: Window, calls: CountingFetch, result: SearchResult
    ) -> list[GkgFile] | None:
        if self.listing == "master":
            return self._listed_files(source, window, calls, result)
        files = []
        slot = window.aligned(SLOT).start
        while slot < window.end:
            if slot >= window.start:
                for stream in self.streams:
                    name = f"{slot:%Y%m%d%H%M%S}.{STREAMS[stream]}"
                    files.append(GkgFile(name, urljoin(source.url, name), stream, slot))
            slot += SLOT
        return files

    def _listed_files(
        self, source: Source, window: Window, calls: CountingFetch, result: SearchResult
    ) -> list[GkgFile] | None:
        files = []
        for stream in self.streams:
            response = calls(urljoin(source.url, MASTER_LISTS[stream]))
            if not response.ok or response.text is None:
                result.errors.append(f"gkg: {MASTER_LISTS[stream]}: {response.error or response.status}")
                return None
            for gkg_file in parse_master_list(response.text, stream):
                if window.contains(gkg_file.slot):
                    files.append(gkg_file)
        files.sort(key=lambda f: (f.slot, f.stream))
        return files

    def _read_file(
        self, gkg_file: GkgFile, source: Source, calls: CountingFetch, result: SearchResult, run: _Run
    ) -> bool:
        """Read one file into the result; True unless it failed in a way a later run may get past."""
        response = calls(gkg_file.url)
        if response.status in (404, 410):
            run.missing += 1
            result.finished.append(gkg_file.name)
            return True
        if not response.ok or response.body is None:
            run.failed += 1
            result.errors.append(f"gkg {gkg_file.name}: {response.error or response.status}")
            return False
        body = response.body
        if gkg_file.md5 is not None and hashlib.md5(body).hexdigest() != gkg_file.md5:
            run.failed += 1
            result.errors.append(f"gkg {gkg_file.name}: MD5 differs from the master file list")
            return False
        stats = FileStats()
        try:
            rows = list(read_gkg_zip(body, self.filter, stats))
        except ValueError as exc:
            run.failed += 1
            result.errors.append(f"gkg {gkg_file.name}: {exc}")
            return False
        run.files += 1
        run.bytes += len(body)
        for attribute in ("rows", "kept", "malformed", "not_web"):
            setattr(run.stats, attribute, getattr(run.stats, attribute) + getattr(stats, attribute))
        for row in rows:
            result.add(to_candidate(row, source, gkg_file.stream))
        result.finished.append(gkg_file.name)
        return True
