"""Wayback CDX: archived article URLs of configured outlets, for coverage their feeds no longer list.

Per outlet, one CDX query over its whole site for the window's capture days (`from`/`to` are inclusive
days), HTML pages that answered 200, one row per URL (`collapse=urlkey`); paged with the resume key when
`page_size` is set. Rows whose path matches one of the outlet's slug patterns (fnmatch, case-insensitive,
e.g. "*/internasional/*korea*") are kept. With `verify` (the default) each kept URL is fetched from the
archive in raw mode, `/web/<timestamp>id_/<original url>` (the page as captured, without the archive's
toolbar or rewritten links), for its title, publication time and language.

The candidate's URL is the original URL, canonicalised (tracking parameters off); the archived copy is in
`SearchResult.archived[candidate.url]` (original, raw archive URL, capture time). The fetch stage should
request that archive URL and store the page under the candidate's URL. Capture time is not publication
time: a window for coverage of June should reach into the weeks after it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from fnmatch import fnmatchcase
from typing import Any
from urllib.parse import quote, urlencode, urlsplit, urlunsplit

from lxml import etree
from lxml import html as lxml_html

from tasks.canonical import canonical_url
from tasks.extract import parse_datetime
from tasks.models import Candidate, Source
from tasks.sources import Fetch
from tasks.sources.base import ArchivedCopy, SearchResult, WindowedSource, check_options
from tasks.sources.service import CountingFetch
from tasks.sources.window import Window

CDX_PATH = "/cdx/search/cdx"
_RAW = re.compile(r"/web/(\d{14})id_/")


@dataclass(frozen=True)
class Outlet:
    name: str
    site: str  # the outlet's origin or host, e.g. "https://www.kabardunia.example" or "kabardunia.example"
    patterns: tuple[str, ...]  # fnmatch patterns on the URL path

    @property
    def host(self) -> str:
        parts = urlsplit(self.site if "://" in self.site else f"http://{self.site}")
        return parts.netloc.lower()

    def wants(self, url: str) -> bool:
        path = urlsplit(url).path.lower()
        return any(fnmatchcase(path, pattern.lower()) for pattern in self.patterns)


@dataclass(frozen=True)
class CdxRow:
    urlkey: str
    timestamp: str
    original: str
    mimetype: str
    statuscode: str

    @property
    def captured(self) -> datetime:
        return datetime.strptime(self.timestamp, "%Y%m%d%H%M%S").replace(tzinfo=UTC)


class CdxError(ValueError):
    """A CDX answer that is not the JSON table it should be."""


class CdxSource(WindowedSource):
    kind = "cdx"
    nightly = False  # captures come days to months after publication: it is for history (backfills)

    def __init__(
        self,
        outlets: Mapping[str, tuple[str, Sequence[str]]],
        *,
        page_size: int | None = None,
        verify: bool = True,
        max_pages: int = 50,
    ) -> None:
        """`outlets`: name -> (site origin or host, slug patterns)."""
        if not outlets:
            raise ValueError("cdx source needs at least one outlet")
        self.outlets = [Outlet(name, site, tuple(patterns)) for name, (site, patterns) in outlets.items()]
        for outlet in self.outlets:
            if not outlet.patterns:
                raise ValueError(f"cdx outlet {outlet.name}: list at least one slug pattern")
        self.page_size = page_size
        self.verify = verify
        self.max_pages = max_pages

    @classmethod
    def from_options(cls, options: dict[str, Any], topic: Any = None) -> CdxSource:
        check_options("cdx", options, {"outlets", "page_size", "verify", "max_pages"})
        table = options.pop("outlets", None) or {}
        outlets = {}
        for name, entry in table.items():
            if not isinstance(entry, Mapping) or "site" not in entry or "patterns" not in entry:
                raise ValueError(f"cdx outlet {name}: needs site and patterns")
            outlets[name] = (str(entry["site"]), [str(p) for p in entry["patterns"]])
        return cls(outlets, **options)

    def discover(self, source: Source, window: Window, fetch: Fetch, *, now: datetime) -> SearchResult:
        calls = CountingFetch(fetch)
        result = SearchResult()
        usable = window.clip(end=now)
        if usable is None:
            result.notes.append(f"cdx: window {window} is in the future")
            return result
        base = source.url.rstrip("/")
        for outlet in self.outlets:
            rows = self._rows(base, outlet, usable, calls, result)
            kept = [row for row in rows if outlet.wants(row.original)]
            result.stats[f"{outlet.name}_captures"] = len(rows)
            result.stats[f"{outlet.name}_matching"] = len(kept)
            for row in kept:
                self._add(base, row, source, calls, result)
        result.requests = calls.count
        return result

    def query_url(self, base: str, outlet: Outlet, window: Window, resume_key: str | None = None) -> str:
        last_day = (window.end - timedelta(microseconds=1)).strftime("%Y%m%d")
        params: list[tuple[str, str]] = [
            ("url", f"{outlet.host}/*"),
            ("from", window.start.strftime("%Y%m%d")),
            ("to", last_day),
            ("output", "json"),
            ("filter", "statuscode:200"),
            ("filter", "mimetype:text/html"),
            ("collapse", "urlkey"),
        ]
        if self.page_size is not None:
            params += [("limit", str(self.page_size)), ("showResumeKey", "true")]
        if resume_key is not None:
            params.append(("resumeKey", resume_key))
        return f"{base}{CDX_PATH}?{urlencode(params, quote_via=quote, safe='/*:')}"

    def _rows(
        self, base: str, outlet: Outlet, window: Window, calls: CountingFetch, result: SearchResult
    ) -> list[CdxRow]:
        rows: list[CdxRow] = []
        resume_key: str | None = None
        for _ in range(self.max_pages):
            response = calls(self.query_url(base, outlet, window, resume_key))
            if not response.ok or response.text is None:
                result.errors.append(f"cdx {outlet.name} {window}: {response.error or response.status}")
                return rows
            try:
                page, resume_key = parse_cdx_json(response.text)
            except CdxError as exc:
                result.errors.append(f"cdx {outlet.name} {window}: {exc}")
                return rows
            rows += page
            if resume_key is None:
                return rows
        result.notes.append(f"cdx {outlet.name}: stopped after {self.max_pages} pages; more captures remain")
        return rows

    def _add(
        self, base: str, row: CdxRow, source: Source, calls: CountingFetch, result: SearchResult
    ) -> None:
        url = canonical_url(_without_default_port(row.original))
        if url is None or url in result.archived:
            return
        archive_url = f"{base}/web/{row.timestamp}id_/{row.original}"
        copy = ArchivedCopy(row.original, archive_url, row.captured)
        title = published = language = None
        if self.verify:
            response = calls(archive_url)
            if not response.ok or response.text is None:
                result.unresolved.append(
                    {
                        "url": url,
                        "archive_url": archive_url,
                        "why": f"archived copy: {response.error or response.status}",
                    }
                )
                return
            final = response.final_url or archive_url
            moved = _RAW.search(final)
            if moved and moved.group(1) != row.timestamp:  # the archive redirected to its nearest capture
                copy = ArchivedCopy(row.original, final, _stamp(moved.group(1)) or row.captured)
            title, published, language = page_facts(response.text)
        result.archived[url] = copy
        result.add(
            Candidate(url=url, source=source.name, title=title, published=published, language=language)
        )


def parse_cdx_json(text: str) -> tuple[list[CdxRow], str | None]:
    """Rows of a CDX JSON answer (first row: field names) and the resume key when there is one."""
    try:
        table = json.loads(text) if text.strip() else []
    except json.JSONDecodeError as exc:
        raise CdxError(f"unreadable JSON: {exc}") from None
    if not isinstance(table, list) or not all(isinstance(r, list) for r in table):
        raise CdxError("not a JSON table")
    if not table:
        return [], None
    header, *body = table
    try:
        index = {
            name: header.index(name) for name in ("urlkey", "timestamp", "original", "mimetype", "statuscode")
        }
    except ValueError:
        raise CdxError(f"unexpected header {header}") from None
    resume_key = None
    if len(body) >= 2 and body[-2] == [] and len(body[-1]) == 1:
        resume_key = str(body[-1][0])
        body = body[:-2]
    rows = []
    for cells in body:
        if len(cells) < len(header):
            continue
        rows.append(CdxRow(*(str(cells[index[name]]) for name in index)))  # type: ignore[arg-type]
    return rows, resume_key


def page_facts(page: str) -> tuple[str | None, datetime | None, str | None]:
    """(title, publication time, language) a page states in its head."""
    try:
        document = lxml_html.fromstring(page)
    except (etree.ParserError, ValueError):
        return None, None, None
    title = _first(document, '//meta[@property="og:title"]/@content') or _first(document, "//title/text()")
    published = parse_datetime(
        _first(document, '//meta[@property="article:published_time"]/@content')
        or _first(document, '//meta[@name="article:published_time"]/@content')
    )
    language = (_first(document, "/html/@lang") or "").split("-")[0].lower() or None
    return (title.strip() if title else None), published, language


def _first(document: Any, path: str) -> str | None:
    found = document.xpath(path)
    return str(found[0]) if found else None


def _without_default_port(url: str) -> str:
    """Old captures record "http://example.com:80/": the port says nothing."""
    parts = urlsplit(url)
    if (parts.scheme, parts.port) in (("http", 80), ("https", 443)):
        return urlunsplit((parts.scheme, parts.hostname or "", parts.path, parts.query, parts.fragment))
    return url


def _stamp(value: str) -> datetime | None:
    try:
        return datetime.strptime(value, "%Y%m%d%H%M%S").replace(tzinfo=UTC)
    except ValueError:
        return None
