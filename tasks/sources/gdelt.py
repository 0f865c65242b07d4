"""GDELT DOC 2.0 API (ArtList mode): article URLs GDELT saw in a window, one query per language.

- One request per `min_interval` seconds (GDELT asks for one every 5 s; more gets HTTP 429).
- At most 250 records per answer: a window that comes back full is split in two and asked again, down to
  `min_span`.
- The API reaches back three months from now: a window (or the part of one) older than that is not
  requested, and the notes say so; GDELT's GKG files cover older coverage (tasks.sources.gkg).
- Errors come back as plain text with HTTP 200 ("Invalid query start date.", "Your search contained words
  that were too short...") in text/html or text/plain: they are recorded as errors, not parsed as JSON.

GDELT searches the machine translation of non-English coverage, so each language's query is the English
query (`topic.queries["en"]`) narrowed with `sourcelang:`; `queries` overrides it per language.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import quote, urlencode

from tasks.models import Candidate, Source
from tasks.sources import Fetch
from tasks.sources.base import SearchResult, WindowedSource, check_options
from tasks.sources.service import CountingFetch, Pacer
from tasks.sources.window import Window

MAX_RECORDS = 250
REACH = timedelta(days=90)
MIN_SPAN = timedelta(minutes=15)
GDELT_LANGUAGES = {
    "id": "indonesian",
    "en": "english",
    "ko": "korean",
    "ru": "russian",
    "ja": "japanese",
    "zh": "chinese",
    "de": "german",
    "fr": "french",
    "es": "spanish",
    "it": "italian",
    "pt": "portuguese",
    "uk": "ukrainian",
    "ar": "arabic",
    "vi": "vietnamese",
    "th": "thai",
    "tr": "turkish",
    "pl": "polish",
    "hi": "hindi",
    "fa": "persian",
    "nl": "dutch",
    "ms": "malay",
    "he": "hebrew",
    "cs": "czech",
    "ro": "romanian",
    "hu": "hungarian",
}
_CODE_BY_NAME = {name: code for code, name in GDELT_LANGUAGES.items()}


class GdeltError(ValueError):
    """GDELT answered, but not with results: its plain-text message, or a body that is not its JSON."""


class GdeltDocSource(WindowedSource):
    kind = "gdelt"
    takes_languages = True

    def __init__(
        self,
        topic: Any = None,
        languages: Sequence[str] | None = None,
        *,
        queries: Mapping[str, str] | None = None,
        max_records: int = MAX_RECORDS,
        min_interval: float = 5.0,
        reach: timedelta = REACH,
        min_span: timedelta = MIN_SPAN,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if topic is None and not queries:
            raise ValueError("gdelt source needs a topic or explicit queries")
        self.languages = tuple(languages or (topic.languages if topic is not None else queries or ()))
        base = queries.get("*") if queries else None
        if base is None and topic is not None:
            base = topic.queries.get("en") or next(iter(topic.queries.values()))
        # the topic names each language's GDELT `sourcelang`; the built-in table covers topics that do not
        names = {**GDELT_LANGUAGES, **(getattr(topic, "sourcelang", None) or {})}
        self.queries: dict[str, str] = {}
        for language in self.languages:
            explicit = (queries or {}).get(language)
            if explicit is not None:
                self.queries[language] = explicit
            elif base is not None and language in names:
                self.queries[language] = f"{base} sourcelang:{names[language]}"
        self.max_records = max(1, min(max_records, MAX_RECORDS))
        self.reach = reach
        self.min_span = min_span
        self.pacer = Pacer(min_interval, clock, sleep)

    @classmethod
    def from_options(cls, options: dict[str, Any], topic: Any) -> GdeltDocSource:
        check_options("gdelt", options, {"languages", "queries", "max_records", "min_interval", "reach_days"})
        reach_days = options.pop("reach_days", None)
        if reach_days is not None:
            options["reach"] = timedelta(days=float(reach_days))
        return cls(topic, **options)

    def discover(self, source: Source, window: Window, fetch: Fetch, *, now: datetime) -> SearchResult:
        calls = CountingFetch(fetch)
        result = SearchResult()
        reach_start = now - self.reach
        usable = window.clip(start=reach_start, end=now)
        if usable is None:
            result.notes.append(
                f"gdelt: window {window} not requested: the DOC API only reaches back to "
                f"{reach_start:%Y-%m-%d %H:%M}Z (use the GKG files)"
            )
            return result
        if usable.start > window.start:
            result.notes.append(
                f"gdelt: {Window(window.start, usable.start)} not requested: older than the DOC API reaches"
            )
        languages = [source.language] if source.language else list(self.languages)
        for language in languages:
            query = self.queries.get(language)
            if query is None:
                result.notes.append(f"gdelt: no query for language {language}")
                continue
            self._search(source, language, query, usable, calls, result)
        result.requests = calls.count
        result.stats["slept_s"] = round(result.stats.get("slept_s", 0.0), 3)
        return result

    def _search(
        self,
        source: Source,
        language: str,
        query: str,
        window: Window,
        calls: CountingFetch,
        result: SearchResult,
    ) -> None:
        pending = [window]
        while pending:
            current = pending.pop()
            result.stats["slept_s"] = result.stats.get("slept_s", 0.0) + self.pacer.wait()
            response = calls(self.request_url(source.url, query, current))
            if not response.ok or response.body is None:
                result.errors.append(f"gdelt {language} {current}: {response.error or response.status}")
                continue
            try:
                articles = parse_artlist(response.content_type, response.text or "")
            except GdeltError as exc:
                result.errors.append(f"gdelt {language} {current}: {exc}")
                continue
            if len(articles) >= self.max_records:
                halves = current.split(self.min_span) if current.span > self.min_span else None
                if halves is not None:
                    pending += [halves[1], halves[0]]
                    continue
                result.notes.append(
                    f"gdelt {language} {current}: {len(articles)} records, the cap, in the smallest window; "
                    "some may be missing"
                )
            for article in articles:
                candidate = to_candidate(article, source, language)
                if candidate is not None:
                    result.add(candidate)

    def request_url(self, base_url: str, query: str, window: Window) -> str:
        params = {
            "query": query,
            "mode": "ArtList",
            "format": "json",
            "maxrecords": str(self.max_records),
            "startdatetime": window.start.strftime("%Y%m%d%H%M%S"),
            "enddatetime": window.end.strftime("%Y%m%d%H%M%S"),
        }
        return f"{base_url}?{urlencode(params, quote_via=quote)}"


def parse_artlist(content_type: str | None, text: str) -> list[dict[str, Any]]:
    """The articles of an ArtList JSON answer; GdeltError for GDELT's plain-text replies and broken JSON."""
    stripped = text.strip()
    if (content_type or "") != "application/json" or not stripped.startswith("{"):
        message = " ".join(stripped.split())[:200] or "empty answer"
        raise GdeltError(f"GDELT said: {message}")
    try:
        # strict=False: GDELT's JSON carries raw control characters inside titles now and then
        data = json.loads(stripped, strict=False)
    except json.JSONDecodeError as exc:
        raise GdeltError(f"unreadable JSON: {exc}") from None
    if not isinstance(data, dict):
        raise GdeltError("unexpected JSON: not an object")
    articles = data.get("articles", [])
    if not isinstance(articles, list):
        raise GdeltError("unexpected JSON: articles is not a list")
    return [a for a in articles if isinstance(a, dict)]


def to_candidate(article: Mapping[str, Any], source: Source, language: str) -> Candidate | None:
    url = str(article.get("url") or "").strip()
    if not url.startswith(("http://", "https://")):
        return None
    try:
        seen = datetime.strptime(str(article.get("seendate", "")), "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    except ValueError:
        seen = None
    named = _CODE_BY_NAME.get(str(article.get("language") or "").lower())
    return Candidate(
        url=url,
        source=source.name,
        title=(str(article.get("title") or "").strip() or None),
        published=seen,  # when GDELT first saw it: within minutes of publication for most outlets
        language=named or language,
    )
