"""The GDELT DOC 2.0 API in ArtList mode, answering the way api.gdeltproject.org does.

`GET /api/v2/doc/doc?query=...&mode=ArtList&format=json&maxrecords=N&startdatetime=YYYYMMDDHHMMSS&
enddatetime=...`: `{"articles": [{url, url_mobile, title, seendate "20240619T083000Z", socialimage, domain,
language "Indonesian", sourcecountry}]}`, newest first, at most `maxrecords` (75 when absent, never more
than 250); `{}` when nothing matches. `sourcelang:<name>` in the query narrows the language; the rest of
the query stands for the topic, so on-topic stories match.

Malformed requests get GDELT's plain-text replies with HTTP 200 and text/html, not JSON: "Invalid query
start date." (also for a start older than the API's three-month reach), "Invalid query end date.",
"Your search contained words that were too short.", "Queries containing OR'd terms must be surrounded by
()." Requests closer together than `min_interval` seconds get 429 with GDELT's "Please limit requests"
text (0 switches that off, the default for tests).
"""

from __future__ import annotations

import json
import re
import threading
import time
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from simweb.faults import error_page
from simweb.routes import Response
from simweb.services.corpus import COUNTRIES, LANGUAGE_CODES_639_3, LANGUAGE_NAMES, Corpus, Story

if TYPE_CHECKING:
    from simweb.services.server import ServiceRequest

DOC_PATH = "/api/v2/doc/doc"
MAX_RECORDS = 250
DEFAULT_RECORDS = 75
REACH = timedelta(days=90)  # the API searches a rolling window of the last three months
RATE_LIMIT_TEXT = (
    "Please limit requests to one every 5 seconds or contact kalev.leetaru5@gmail.com for larger queries."
)
TOO_SHORT = "Your search contained words that were too short."
OR_WITHOUT_PARENTHESES = "Queries containing OR'd terms must be surrounded by ()."
_PHRASE = re.compile(r'"[^"]*"')
_OPERATOR = re.compile(r"-?\b[a-z]+:[^\s()]+", re.IGNORECASE)
_SOURCELANG = re.compile(r"\bsourcelang:([a-z]+)\b", re.IGNORECASE)


class GdeltDocService:
    def __init__(self, corpus: Corpus, min_interval: float = 0.0, reach: timedelta = REACH) -> None:
        self.corpus = corpus
        self.min_interval = min_interval
        self.reach = reach
        self._lock = threading.Lock()
        self._last_served: float | None = None

    def articles(self, language: str | None, start: datetime, end: datetime) -> list[Story]:
        """Matching stories seen in [start, end), newest first, before the cap."""
        found = [
            s
            for s in self.corpus.out()
            if s.on_topic and (language is None or s.language == language) and start <= s.seen < end
        ]
        return sorted(found, key=lambda s: (s.seen, s.url), reverse=True)

    def respond(self, request: ServiceRequest) -> Response:
        if request.path == "/robots.txt":
            return Response.document(200, "text/plain", "User-agent: *\nAllow: /\n")
        if request.path != DOC_PATH:
            return Response.document(404, "text/html", error_page(404, "Not Found"))
        if not self._admit():
            return Response.document(429, "text/plain", RATE_LIMIT_TEXT)
        problem, query = self._check(request)
        if problem:
            return Response.document(200, "text/html", problem + "\n")
        now = self.corpus.now()
        start = parse_gdelt_time(request.param("startdatetime")) or now - self.reach
        end = parse_gdelt_time(request.param("enddatetime")) or now
        try:
            records = min(int(request.param("maxrecords") or DEFAULT_RECORDS), MAX_RECORDS)
        except ValueError:
            records = DEFAULT_RECORDS
        found = self.articles(_language(query), start, end)[: max(records, 1)]
        if (request.param("format") or "html").lower() != "json":
            items = "".join(f'<li><a href="{s.url}">{s.title}</a></li>' for s in found)
            return Response.document(200, "text/html", f"<html><body><ul>{items}</ul></body></html>")
        body = {"articles": [article_json(s) for s in found]} if found else {}
        return Response.document(200, "application/json", json.dumps(body, ensure_ascii=False))

    def _admit(self) -> bool:
        if self.min_interval <= 0:
            return True
        with self._lock:
            moment = time.monotonic()
            if self._last_served is not None and moment - self._last_served < self.min_interval:
                return False
            self._last_served = moment
            return True

    def _check(self, request: ServiceRequest) -> tuple[str | None, str]:
        """(GDELT's error text or None, the query)."""
        query = (request.param("query") or "").strip()
        if (request.param("mode") or "").lower() != "artlist":
            return "Invalid mode specified.", query
        now = self.corpus.now()
        raw_start, raw_end = request.param("startdatetime"), request.param("enddatetime")
        start = parse_gdelt_time(raw_start)
        if raw_start is not None and (start is None or start < now - self.reach or start > now):
            return "Invalid query start date.", query
        end = parse_gdelt_time(raw_end)
        if raw_end is not None and (end is None or (start is not None and end <= start)):
            return "Invalid query end date.", query
        return query_problem(query), query


def query_problem(query: str) -> str | None:
    """What GDELT would refuse in a query, as its message; None when the query is acceptable."""
    if not query:
        return TOO_SHORT
    rest = _OPERATOR.sub(" ", _PHRASE.sub(" ", query))
    if any(len(phrase.strip('" ')) < 3 for phrase in _PHRASE.findall(query)):
        return TOO_SHORT
    depth = 0
    words = re.findall(r"\(|\)|[^\s()]+", rest)
    for i, word in enumerate(words):
        if word == "(":
            depth += 1
        elif word == ")":
            depth -= 1
        elif word.upper() == "OR":
            if depth == 0 or i == 0:
                return OR_WITHOUT_PARENTHESES
        elif len(word.lstrip("-")) < 3:
            return TOO_SHORT
    return None


def _language(query: str) -> str | None:
    match = _SOURCELANG.search(query)
    if match is None:
        return None
    wanted = match.group(1).lower()
    for code, name in LANGUAGE_NAMES.items():
        if wanted in (name.lower(), code, LANGUAGE_CODES_639_3[code]):
            return code
    return "unknown"


def parse_gdelt_time(value: str | None) -> datetime | None:
    if value is None or not re.fullmatch(r"\d{14}", value):
        return None
    try:
        return datetime.strptime(value, "%Y%m%d%H%M%S").replace(tzinfo=UTC)
    except ValueError:
        return None


def article_json(story: Story) -> dict[str, str]:
    article = story.page.article
    mobile = story.base_url + article.amp_path if article is not None and article.amp else ""
    return {
        "url": story.url,
        "url_mobile": mobile,
        "title": story.title,
        "seendate": story.seen.strftime("%Y%m%dT%H%M%SZ"),
        "socialimage": f"{story.base_url}/static/img/{story.page.path.rsplit('/', 1)[-1][:-5]}.jpg",
        "domain": story.domain,
        "language": LANGUAGE_NAMES.get(story.language, story.language),
        "sourcecountry": COUNTRIES.get(story.language, ""),
    }
