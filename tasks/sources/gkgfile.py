"""The GDELT 2.0 Global Knowledge Graph file format: rows, the topic filter, zipped files, master lists.

GKG 2.1 columns used (0-based): 2 source collection (1 = web), 4 DocumentIdentifier, 7/8 themes (V1 and
V2 enhanced), 9/10 locations (type#name#FIPS country#...), 11/12 persons, 13/14 organisations,
25 translation info (srclc:rus;...), 26 extras XML (PAGE_TITLE, PAGE_PRECISEPUBTIMESTAMP).
A file is read row by row straight out of the zip; only matching rows are parsed whole.
"""

from __future__ import annotations

import html
import io
import re
import zipfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cached_property
from typing import IO

from tasks.models import Candidate, Source

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
