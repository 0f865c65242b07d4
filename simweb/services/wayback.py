"""A web archive with a Wayback CDX server, answering the way web.archive.org does.

Captures: every publisher page (articles, syndicated copies, AMP variants, PDFs) two hours after it was
published and again three days later, plus a "warc/revisit" record a week later; tracked links are captured
under their feed URL (tracking parameters included); the home page twice a day, feed.xml and robots.txt on
each day the catalog has stories; and per publisher one page that answered 404 when captured. Only
captures up to the clock's `now` exist.

- `GET /cdx/search/cdx?url=<host>/*&from=&to=&output=json&filter=[!]field:regex&collapse=field[:N]&
  limit=&showResumeKey=true&resumeKey=&fl=`: JSON rows, the first one the field names
  (urlkey timestamp original mimetype statuscode digest length); `[]` when nothing matches; with a
  limit and showResumeKey, an empty row and then the resume key. Without output=json: space-separated lines.
- `GET /web/<14-digit timestamp>id_/<original url>`: the page as the publisher served it (raw, no toolbar);
  without `id_` the archive's toolbar is inserted. A timestamp without a capture redirects (302) to the
  nearest capture of the URL, as the Wayback Machine does.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from functools import partial
from typing import TYPE_CHECKING
from urllib.parse import quote_plus, unquote_plus, urlsplit

from simweb.faults import error_page
from simweb.routes import FEED_PATH, ROBOTS_PATH, Response, SiteApp
from simweb.services.corpus import Corpus

if TYPE_CHECKING:
    from simweb.services.server import ServiceRequest

CDX_PATH = "/cdx/search/cdx"
FIELDS = ("urlkey", "timestamp", "original", "mimetype", "statuscode", "digest", "length")
_RAW_PATH = re.compile(r"^/web/(\d{1,14})([a-z]{2}_)?/(.+)$")
_FAR_FUTURE = datetime(2100, 1, 1, tzinfo=UTC)
TOOLBAR = (
    '<!-- BEGIN WAYBACK TOOLBAR INSERT --><div id="wm-ipp-base" lang="en" style="display:none;">'
    '<div id="wm-ipp" class="wb-autocomplete-suggestions">Wayback Machine</div></div>'
    "<!-- END WAYBACK TOOLBAR INSERT -->"
)
WAYBACK_HEAD = (
    '<script src="//archive.org/includes/athena.js" type="text/javascript"></script>'
    '<script type="text/javascript">window.addEventListener("message", function(e){});</script>'
    "<!-- End Wayback Rewrite JS Include -->"
)


@dataclass(frozen=True)
class Capture:
    urlkey: str
    timestamp: str  # yyyyMMddhhmmss
    original: str
    mimetype: str
    statuscode: str
    publisher: str
    path: str
    digest: str
    length: str

    def field(self, name: str) -> str:
        return str(getattr(self, name))

    @property
    def captured(self) -> datetime:
        return datetime.strptime(self.timestamp, "%Y%m%d%H%M%S").replace(tzinfo=UTC)


def surt(url: str) -> str:
    """The archive's sort key for a URL: host reversed label by label (not an IP), no www, lower case."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower().removeprefix("www.")
    if not re.fullmatch(r"[\d.]+", host):
        host = ",".join(reversed(host.split(".")))
    port = parts.port
    if port and port not in (80, 443):
        host += f":{port}"
    key = f"{host}){parts.path.lower() or '/'}"
    if parts.query:
        key += "?" + "&".join(sorted(parts.query.lower().split("&")))
    return key


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%d%H%M%S")


def _digest(text: str) -> str:
    return base64.b32encode(hashlib.sha1(text.encode()).digest()).decode()


class WaybackService:
    def __init__(self, corpus: Corpus) -> None:
        self.corpus = corpus
        self._captures = sorted(self._all_captures(), key=lambda c: (c.urlkey, c.timestamp))
        self._apps: dict[str, SiteApp] = {}

    def _all_captures(self) -> list[Capture]:
        captures: list[Capture] = []
        days = self.corpus.days()
        for site in self.corpus.catalog.sites:
            base = self.corpus.base_urls[site.name]
            at = partial(_capture, site.name, base)
            for page in self.corpus.catalog.pages(site.name):
                kind = "application/pdf" if page.kind == "document" else "text/html"
                first_url = base + (page.feed_path if page.kind == "article" else page.path)
                captures.append(at(page.path, page.published + timedelta(hours=2), kind, "200", first_url))
                captures.append(at(page.path, page.published + timedelta(days=3, hours=5), kind, "200"))
                captures.append(at(page.path, page.published + timedelta(days=7), "warc/revisit", "-"))
            for day in days:
                captures.append(at("/", day + timedelta(hours=6), "text/html", "200"))
                captures.append(at("/", day + timedelta(hours=18), "text/html", "200"))
                captures.append(
                    at(FEED_PATH, day + timedelta(hours=6, minutes=5), "application/rss+xml", "200")
                )
            if days:
                gone = f"/{site.section}/{days[0]:%Y/%m/%d}/korea-kursk-draft.html"
                captures.append(at(ROBOTS_PATH, days[0] + timedelta(hours=5), "text/plain", "200"))
                captures.append(at(gone, days[0] + timedelta(hours=7), "text/html", "404"))
        return captures

    def captures(self) -> list[Capture]:
        """Captures made by now, in CDX order."""
        now = _stamp(self.corpus.now())
        return [c for c in self._captures if c.timestamp <= now]

    # --- HTTP -------------------------------------------------------------------------------------

    def respond(self, request: ServiceRequest) -> Response:
        if request.path == "/robots.txt":
            return Response.document(200, "text/plain", "User-agent: *\nAllow: /\n")
        if request.path == CDX_PATH:
            return self._cdx(request)
        match = _RAW_PATH.match(request.path)
        if match:
            original = match.group(3)
            if request.query_string:
                original += "?" + request.query_string
            return self._replay(match.group(1), match.group(2) or "", original, request.base_url)
        return Response.document(404, "text/html", error_page(404, "Not Found"))

    def _cdx(self, request: ServiceRequest) -> Response:
        url = request.param("url")
        if not url:
            return Response.document(400, "text/plain", "Missing required parameter: url\n")
        rows = self._query(request, url)
        wanted = (request.param("fl") or ",".join(FIELDS)).split(",")
        fields = [f for f in wanted if f in FIELDS] or list(FIELDS)
        limit_text = request.param("limit")
        limit = int(limit_text) if limit_text and limit_text.lstrip("-").isdigit() else None
        resume_key = None
        if limit is not None and limit >= 0 and len(rows) > limit:
            rows = rows[:limit]
            if request.param("showResumeKey") == "true" and rows:
                last = rows[-1]
                resume_key = quote_plus(f"{last.urlkey} {last.timestamp}!")
        elif limit is not None and limit < 0:
            rows = rows[limit:]
        if request.param("output") == "json":
            table: list[list[str]] = [[c.field(f) for f in fields] for c in rows]
            if table:
                table.insert(0, list(fields))
            if resume_key is not None:
                table += [[], [resume_key]]
            body = "[" + ",\n".join(_json_row(r) for r in table) + "]\n"
            return Response.document(200, "application/json", body)
        lines = [" ".join(c.field(f) for f in fields) for c in rows]
        if resume_key is not None:
            lines += ["", resume_key]
        return Response.document(200, "text/plain", "\n".join(lines) + ("\n" if lines else ""))

    def _query(self, request: ServiceRequest, url: str) -> list[Capture]:
        target = re.sub(r"^[a-z]+://", "", url, flags=re.IGNORECASE)
        match_type = (request.param("matchType") or "exact").lower()
        if target.endswith("*"):
            target, match_type = target.rstrip("*"), "prefix"
        key = surt("http://" + target)
        host_key = key.split(")", 1)[0]
        rows = []
        for capture in self.captures():
            capture_host = capture.urlkey.split(")", 1)[0]
            if match_type == "prefix":
                keep = capture.urlkey.startswith(key)
            elif match_type in ("host", "domain"):
                keep = capture_host == host_key or (
                    match_type == "domain" and capture_host.startswith(host_key + ",")
                )
            else:
                keep = capture.urlkey == key
            if keep:
                rows.append(capture)
        low = (request.param("from") or "").ljust(14, "0")
        high = (request.param("to") or "").ljust(14, "9")
        rows = [c for c in rows if low <= c.timestamp <= high]
        for expression in request.params("filter"):
            negate = expression.startswith("!")
            name, _, pattern = expression.lstrip("!").partition(":")
            if name not in FIELDS:
                continue
            rows = [c for c in rows if bool(re.fullmatch(pattern, c.field(name))) != negate]
        resume = request.param("resumeKey")
        previous: dict[str, str] = {}
        if resume:
            resume_urlkey, _, resume_stamp = unquote_plus(resume).rstrip("!").rpartition(" ")
            rows = [c for c in rows if (c.urlkey, c.timestamp) > (resume_urlkey, resume_stamp)]
            previous = {"urlkey": resume_urlkey, "timestamp": resume_stamp}
        for spec in request.params("collapse"):
            name, _, width = spec.partition(":")
            if name not in FIELDS:
                continue
            size = int(width) if width.isdigit() else None
            kept = []
            last = previous.get(name, "")[:size] if name in previous else None
            for capture in rows:
                value = capture.field(name)[:size]
                if value != last:
                    kept.append(capture)
                last = value
            rows = kept
        return rows

    def _replay(self, stamp: str, flag: str, original: str, base_url: str) -> Response:
        key = surt(original if "://" in original else "http://" + original)
        candidates = [c for c in self.captures() if c.urlkey == key and c.mimetype != "warc/revisit"]
        if not candidates:
            return Response.document(404, "text/html", _not_archived(original))
        wanted = stamp.ljust(14, "0")
        exact = next((c for c in candidates if c.timestamp == wanted), None)
        if exact is None:
            nearest = min(candidates, key=lambda c: abs(c.captured - _parse_stamp(wanted)))
            location = f"{base_url}/web/{nearest.timestamp}{flag}/{nearest.original}"
            return Response.document(302, "text/html", error_page(302, "Found"), Location=location)
        page = self._page(exact)
        headers = {"Memento-Datetime": format_datetime(exact.captured, usegmt=True)}
        if flag != "id_" and page.text is not None and page.content_type == "text/html":
            html = page.text.replace("</head>", WAYBACK_HEAD + "</head>", 1)
            html = re.sub(r"(<body[^>]*>)", lambda m: m.group(1) + TOOLBAR, html, count=1)
            return Response.document(page.status, "text/html", html, **headers)
        for name, value in page.headers.items():
            headers[f"X-Archive-Orig-{name}"] = value
        return Response(page.status, page.content_type, page.body, page.text, page.charset, headers)

    def _page(self, capture: Capture) -> Response:
        """What the publisher served for the captured path (its 404 page for a capture that was a 404)."""
        if capture.statuscode == "404":
            app = self._app(capture.publisher, _FAR_FUTURE)
            return app.respond("/no-such-page-" + capture.timestamp, {})
        when = capture.captured if capture.path in ("/", FEED_PATH) else _FAR_FUTURE
        return self._app(capture.publisher, when).respond(capture.path, {})

    def _app(self, publisher: str, when: datetime) -> SiteApp:
        """A publisher app whose clock stands at the capture (listings) or far ahead (stable pages)."""
        if when != _FAR_FUTURE:
            site = self.corpus.catalog.site_by_name[publisher]
            return SiteApp(site, self.corpus.catalog, self.corpus.base_urls[publisher], lambda: when)
        app = self._apps.get(publisher)
        if app is None:
            site = self.corpus.catalog.site_by_name[publisher]
            app = SiteApp(site, self.corpus.catalog, self.corpus.base_urls[publisher], lambda: _FAR_FUTURE)
            self._apps[publisher] = app
        return app


def _capture(
    publisher: str,
    base: str,
    path: str,
    when: datetime,
    mimetype: str,
    status: str,
    original: str | None = None,
) -> Capture:
    url = original or base + path
    return Capture(
        urlkey=surt(url),
        timestamp=_stamp(when),
        original=url,
        mimetype=mimetype,
        statuscode=status,
        publisher=publisher,
        path=path,
        digest=_digest(f"{url}{status}{mimetype}"),
        length=str(2000 + len(path) * 37),
    )


def _json_row(row: list[str]) -> str:
    return json.dumps(row, ensure_ascii=False)


def _parse_stamp(stamp: str) -> datetime:
    try:
        return datetime.strptime(stamp, "%Y%m%d%H%M%S").replace(tzinfo=UTC)
    except ValueError:
        return datetime(1996, 1, 1, tzinfo=UTC)


def _not_archived(original: str) -> str:
    return (
        "<!DOCTYPE html><html><head><title>Wayback Machine</title></head><body>"
        "<h2>Hrm.</h2><p>The Wayback Machine has not archived that URL.</p>"
        f"<p>{original}</p></body></html>"
    )
