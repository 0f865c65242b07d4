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

GKG 2.1 columns used (0-based): 2 source collection (1 = web), 4 DocumentIdentifier, 7/8 themes (V1 and
V2 enhanced), 9/10 locations (type#name#FIPS country#...), 11/12 persons, 13/14 organisations,
25 translation info (srclc:rus;...), 26 extras XML (PAGE_TITLE, PAGE_PRECISEPUBTIMESTAMP).
"""

from __future__ import annotations

import hashlib
import html
import io
import re
import time
import zipfile
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import cached_property
from typing import IO, Any
from urllib.parse import urljoin

from tasks.models import Candidate, Source
from tasks.sources import (
    CountingFetch,
    Fetch,
    SearchResult,
    SourceState,
    Window,
    WindowedSource,
    absorb,
    check_options,
)

SLOT = timedelta(minutes=15)
COLUMNS = 27
STREAMS = {"gkg": "gkg.csv.zip", "translation": "translation.gkg.csv.zip"}
MASTER_LISTS = {"gkg": "masterfilelist.txt", "translation": "masterfilelist-translation.txt"}
_MASTER_LINE = re.compile(r"^(\d+)\s+([0-9a-f]{32})\s+(\S+)$")
_TITLE = re.compile(r"<PAGE_TITLE>(.*?)</PAGE_TITLE>", re.S)
_PUBLISHED = re.compile(r"<PAGE_PRECISEPUBTIMESTAMP>(\d{14})</PAGE_PRECISEPUBTIMESTAMP>")
_SOURCE_LANGUAGE = re.compile(r"srclc:([a-z]{3})")
LANGUAGES_639_3 = {
    "ind": "id", "eng": "en", "kor": "ko", "rus": "ru", "jpn": "ja", "zho": "zh", "deu": "de", "fra": "fr",
    "spa": "es", "ita": "it", "por": "pt", "ukr": "uk", "ara": "ar", "vie": "vi", "tha": "th", "tur": "tr",
    "pol": "pl", "hin": "hi", "fas": "fa", "nld": "nl", "msa": "ms", "heb": "he", "ces": "cs", "ron": "ro",
    "hun": "hu",
}  # fmt: skip


@dataclass(frozen=True)
class Signals:
    """What marks a row as being about one side of the topic; any one of them is enough."""

    countries: frozenset[str] = frozenset()  # FIPS 10-4 codes, as in GKG locations (RS, KN)
    persons: frozenset[str] = frozenset()  # lower case, hyphens as spaces
    organizations: frozenset[str] = frozenset()
    themes: frozenset[str] = frozenset()  # GKG theme codes; a code ending in "*" is a prefix

    def matches(self, row: GkgRow) -> bool:
        if self.countries and not self.countries.isdisjoint(row.countries):
            return True
        if self.persons and not self.persons.isdisjoint(row.persons):
            return True
        if self.organizations and not self.organizations.isdisjoint(row.organizations):
            return True
        return any(_theme_matches(theme, row.themes) for theme in self.themes)


def _theme_matches(wanted: str, themes: frozenset[str]) -> bool:
    if wanted.endswith("*"):
        return any(t.startswith(wanted[:-1]) for t in themes)
    return wanted in themes


@dataclass(frozen=True)
class GkgFilter:
    """Rows about the topic: every group must match."""

    groups: tuple[tuple[str, Signals], ...]

    def matches(self, row: GkgRow) -> bool:
        return all(signals.matches(row) for _, signals in self.groups)

    @cached_property
    def _tokens(self) -> tuple[tuple[str, ...], ...]:
        """Per group, substrings one of which a matching row's entity columns must contain (lower case)."""
        return tuple(
            tuple(
                [f"#{c.lower()}#" for c in signals.countries]
                + sorted(signals.persons | signals.organizations)
                + [t.rstrip("*").lower() for t in signals.themes]
            )
            for _, signals in self.groups
        )

    def could_match(self, entities: str) -> bool:
        """False when the raw entity columns (lower case, hyphens as spaces) cannot match: skips the parse."""
        return all(any(token in entities for token in tokens) for tokens in self._tokens)

    @classmethod
    def from_options(cls, options: Mapping[str, Mapping[str, list[str]]]) -> GkgFilter:
        """{"russia": {"countries": [...], "persons": [...], ...}, ...} -> filter."""
        groups = []
        for name, table in options.items():
            unknown = set(table) - {"countries", "persons", "organizations", "themes"}
            if unknown:
                raise ValueError(f"gkg filter group {name}: unknown key(s) {sorted(unknown)}")
            groups.append(
                (
                    name,
                    Signals(
                        countries=frozenset(c.upper() for c in table.get("countries", [])),
                        persons=frozenset(_name(p) for p in table.get("persons", [])),
                        organizations=frozenset(_name(o) for o in table.get("organizations", [])),
                        themes=frozenset(t.upper() for t in table.get("themes", [])),
                    ),
                )
            )
        return cls(tuple(groups))


TOPIC_FILTER = GkgFilter(
    (
        (
            "russia",
            Signals(
                countries=frozenset({"RS"}),
                persons=frozenset({"vladimir putin", "sergei lavrov", "sergei shoigu", "andrei belousov"}),
                organizations=frozenset({"kremlin", "state duma", "russian defense ministry"}),
            ),
        ),
        (
            "north_korea",
            Signals(
                countries=frozenset({"KN"}),
                persons=frozenset({"kim jong un", "choe son hui", "kim yo jong"}),
                organizations=frozenset({"korean central news agency", "workers party of korea"}),
            ),
        ),
    )
)


@dataclass(frozen=True)
class GkgRow:
    url: str
    countries: frozenset[str]
    persons: frozenset[str]
    organizations: frozenset[str]
    themes: frozenset[str]
    extras: str
    translation: str


def _name(value: str) -> str:
    return " ".join(value.lower().replace("-", " ").split())


def parse_row(line: str) -> GkgRow | None:
    """One GKG 2.1 line -> its fields that matter here; None for a line without the 27 columns."""
    fields = line.rstrip("\r\n").split("\t")
    return row_from_fields(fields) if len(fields) == COLUMNS else None


def row_from_fields(fields: list[str]) -> GkgRow:
    countries = {
        parts[2]
        for column in (fields[10], fields[9])
        for entry in column.split(";")
        if entry and len(parts := entry.split("#")) > 2 and parts[2]
    }
    persons = {_name(entry.rsplit(",", 1)[0]) for entry in fields[12].split(";") if entry}
    persons |= {_name(entry) for entry in fields[11].split(";") if entry}
    organizations = {_name(entry.rsplit(",", 1)[0]) for entry in fields[14].split(";") if entry}
    organizations |= {_name(entry) for entry in fields[13].split(";") if entry}
    themes = {entry.rsplit(",", 1)[0] for entry in fields[8].split(";") if entry}
    themes |= {entry for entry in fields[7].split(";") if entry}
    url = fields[4].strip() if fields[2].strip() == "1" else ""
    return GkgRow(
        url=url,
        countries=frozenset(countries),
        persons=frozenset(persons),
        organizations=frozenset(organizations),
        themes=frozenset(themes),
        extras=fields[26],
        translation=fields[25],
    )


@dataclass
class FileStats:
    rows: int = 0
    kept: int = 0
    malformed: int = 0
    not_web: int = 0


def read_gkg_zip(body: bytes, gkg_filter: GkgFilter, stats: FileStats) -> Iterator[GkgRow]:
    """Matching rows of a zipped GKG file, decompressed and parsed as they are read."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(body))
        members = [m for m in archive.infolist() if not m.is_dir()]
        if not members:
            raise ValueError("empty zip")
        stream = archive.open(members[0])
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise ValueError(f"not a readable zip: {exc}") from None
    # Lines are read as bytes and only rows that may match are decoded: most rows are about other things.
    with stream:
        try:
            for raw in _lines(stream):
                if not raw.strip():
                    continue
                stats.rows += 1
                if raw.count(b"\t") != COLUMNS - 1:
                    stats.malformed += 1
                    continue
                # Columns 15-26 (tone, GCAM counts, images, quotations...) are most of a row's bytes:
                # they are only split off rows that pass the cheap test on the entity columns.
                head = raw.split(b"\t", 15)
                if head[2] != b"1" or not head[4].startswith((b"http://", b"https://")):
                    stats.not_web += 1
                    continue
                entities = b"\t".join(head[7:15]).decode("utf-8", errors="replace").lower().replace("-", " ")
                if not gkg_filter.could_match(entities):
                    continue
                row = row_from_fields(raw.decode("utf-8", errors="replace").rstrip("\r").split("\t"))
                if gkg_filter.matches(row):
                    stats.kept += 1
                    yield row
        except (zipfile.BadZipFile, EOFError, OSError) as exc:  # a corrupt member shows up while reading
            raise ValueError(f"zip broke off: {exc}") from None


def _lines(stream: IO[bytes], chunk: int = 1 << 22) -> Iterator[bytes]:
    """Lines (without the newline) of a byte stream read a few megabytes at a time."""
    rest = b""
    while block := stream.read(chunk):
        lines = (rest + block).split(b"\n")
        rest = lines.pop()
        yield from lines
    if rest:
        yield rest


@dataclass(frozen=True)
class GkgFile:
    name: str
    url: str
    stream: str
    slot: datetime
    size: int | None = None
    md5: str | None = None


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


def parse_master_list(text: str, stream: str) -> Iterator[GkgFile]:
    """The GKG files of a masterfilelist ("size md5 url" per line; event and mention files skipped)."""
    suffix = "." + STREAMS[stream]
    for line in text.splitlines():
        match = _MASTER_LINE.match(line.strip())
        if match is None:
            continue
        size, md5, url = match.groups()
        name = url.rsplit("/", 1)[-1]
        if not name.endswith(suffix) or (stream == "gkg" and name.endswith(".translation.gkg.csv.zip")):
            continue
        try:
            slot = datetime.strptime(name[:14], "%Y%m%d%H%M%S").replace(tzinfo=UTC)
        except ValueError:
            continue
        yield GkgFile(name, url, stream, slot, int(size), md5)


def to_candidate(row: GkgRow, source: Source, stream: str) -> Candidate:
    title_match = _TITLE.search(row.extras)
    published_match = _PUBLISHED.search(row.extras)
    published = None
    if published_match:
        try:
            published = datetime.strptime(published_match.group(1), "%Y%m%d%H%M%S").replace(tzinfo=UTC)
        except ValueError:
            published = None
    language_match = _SOURCE_LANGUAGE.search(row.translation)
    if language_match:
        language = LANGUAGES_639_3.get(language_match.group(1))
    else:
        language = "en" if stream == "gkg" else None
    return Candidate(
        url=row.url,
        source=source.name,
        title=html.unescape(title_match.group(1)).strip() if title_match else None,
        published=published,
        language=language,
    )
