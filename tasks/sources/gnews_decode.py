"""Decoding Google News links: which links are article links (`article_id_of`), and how an article id becomes
the publisher's URL the way maintained decoders (googlenewsdecoder) do it: GET the article page for its
`data-n-a-sg` signature and `data-n-a-ts` timestamp (`article_signature`), then POST them, a batch at a time, to
`batchexecute` (`batchexecute`), whose answer `parse_batchexecute` reads."""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import urlencode, urlsplit

from lxml import etree
from lxml import html as lxml_html

from tasks.sources.service import CountingFetch

BATCHEXECUTE_PATH = "/_/DotsSplashUi/data/batchexecute"
ARTICLE_PATH = re.compile(r"^/(?:rss/)?(?:articles|read)/([A-Za-z0-9_-]+)$")
_SIGNATURE = re.compile(r'data-n-a-sg="([^"]+)"')
_TIMESTAMP = re.compile(r'data-n-a-ts="([^"]+)"')
# The request context googlenewsdecoder sends with each garturlreq; the server does not read it.
_GARTURLREQ_CONTEXT: list[Any] = [
    ["X", "X", ["X", "X"], None, None, 1, 1, "US:en", None, 1, None, None, None, None, None, 0, 1],
    "X",
    "X",
    1,
    [1, 1, 1],
    1,
    1,
    None,
    0,
    0,
    None,
    0,
]


def article_signature(
    base_url: str, article_id: str | None, hl: str, gl: str, ceid: str, calls: CountingFetch
) -> tuple[str, str] | str:
    """(signature, timestamp) from the article page (of the item's edition), or why it could not be read."""
    origin = origin_of(base_url)
    params = urlencode({"hl": hl, "gl": gl, "ceid": ceid})
    response = calls(f"{origin}/rss/articles/{article_id}?{params}")
    if not response.ok or response.text is None:
        return f"article page: {response.error or response.status}"
    found = parse_signature(response.text)
    return found if found is not None else "article page has no data-n-a-sg/data-n-a-ts"


def batchexecute(
    base_url: str, batch: list[tuple[str | None, str, str]], calls: CountingFetch
) -> tuple[dict[str, str], str | None]:
    """request index -> decoded URL for a batch of (article id, signature, timestamp), or what went wrong."""
    envelopes = []
    for index, (article_id, signature, timestamp) in enumerate(batch):
        stamp: int | str = int(timestamp) if timestamp.isdigit() else timestamp
        inner = ["garturlreq", _GARTURLREQ_CONTEXT, article_id, stamp, signature]
        envelopes.append(["Fbv4je", json.dumps(inner, separators=(",", ":")), None, str(index)])
    form = {"f.req": json.dumps([envelopes], separators=(",", ":"))}
    response = calls.post(origin_of(base_url) + BATCHEXECUTE_PATH, form)
    if not response.ok or response.text is None:
        return {}, f"batchexecute: {response.error or response.status}"
    try:
        return parse_batchexecute(response.text), None
    except ValueError as exc:
        return {}, f"batchexecute: unreadable answer ({exc})"


def article_id_of(link: str, origin: str) -> str | None:
    """The article id of a Google News link served from `origin` (news.google.com, or its emulation)."""
    parts = urlsplit(link)
    if f"{parts.scheme}://{parts.netloc}".lower() != origin.lower() and parts.hostname != "news.google.com":
        return None
    match = ARTICLE_PATH.match(parts.path)
    return match.group(1) if match else None



def parse_signature(page: str) -> tuple[str, str] | None:
    """(data-n-a-sg, data-n-a-ts) of the `c-wiz > div[jscontroller]` element, by its attributes."""
    try:
        document = lxml_html.fromstring(page)
        for node in document.xpath("//c-wiz/div[@jscontroller]"):
            signature, timestamp = node.get("data-n-a-sg"), node.get("data-n-a-ts")
            if signature and timestamp:
                return signature, timestamp
    except (etree.ParserError, ValueError):
        pass
    signature_match, timestamp_match = _SIGNATURE.search(page), _TIMESTAMP.search(page)
    if signature_match and timestamp_match:
        return signature_match.group(1), timestamp_match.group(1)
    return None


def parse_batchexecute(text: str) -> dict[str, str]:
    """request id -> decoded URL from a batchexecute answer (`)]}'`, then JSON; rows without a URL skipped).

    Google sends either one JSON array or length-prefixed chunks of them; both are read.
    """
    body = text.lstrip()
    if body.startswith(")]}'"):
        body = body[4:]
    chunks: list[Any] = []
    try:
        chunks.append(json.loads(body))
    except json.JSONDecodeError:
        for line in body.splitlines():
            line = line.strip()
            if line.startswith("["):
                try:
                    chunks.append(json.loads(line))
                except json.JSONDecodeError as exc:
                    raise ValueError(f"not JSON: {exc}") from None
        if not chunks:
            raise ValueError("no JSON rows") from None
    urls: dict[str, str] = {}
    for rows in chunks:
        for row in rows if isinstance(rows, list) else []:
            if not (
                isinstance(row, list) and len(row) >= 3 and row[0] == "wrb.fr" and isinstance(row[2], str)
            ):
                continue
            try:
                payload = json.loads(row[2])
            except json.JSONDecodeError:
                continue
            if isinstance(payload, list) and len(payload) > 1 and payload[0] == "garturlres":
                request_id = next(
                    (str(cell) for cell in reversed(row[3:]) if cell is not None), str(len(urls))
                )
                urls[request_id] = str(payload[1])
    return urls



def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"
