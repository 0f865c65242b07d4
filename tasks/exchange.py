"""One HTTP exchange: what a caller asks of a request (`RequestSpec`), what one request gave (`Exchange`: status,
error, whether to retry, where it redirects, the body), how a request is sent through the guarded session
(`send`) and how its response is judged and its body read under the byte cap (`read_response`). Retries,
redirects, pacing and robots.txt are the fetcher's (tasks.fetch)."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import requests
from requests.structures import CaseInsensitiveDict

from tasks.http import READABLE_TYPES, parse_content_type, parse_retry_after, transport_error
from tasks.models import Attempt
from tasks.netguard import SSRFError

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
GONE_STATUSES = frozenset({404, 410})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
CHUNK_BYTES = 64 * 1024


@dataclass
class RequestSpec:
    """What a caller asked of one request (see `Fetcher.request`)."""

    method: str = "GET"
    body: bytes | None = None
    accept: frozenset[str] | None = READABLE_TYPES
    max_bytes: int = 5_000_000
    headers: dict[str, str] = field(default_factory=dict)
    deadline: float | None = None


@dataclass
class Exchange:
    """What one HTTP request gave: enough to decide between retry, redirect and a final result."""

    url: str
    elapsed_ms: int
    status: int | None = None
    error: str | None = None
    permanent: bool = False
    retryable: bool = False
    retry_after: float | None = None
    location: str | None = None
    headers: CaseInsensitiveDict[str] = field(default_factory=CaseInsensitiveDict)
    content_type: str | None = None
    body: bytes | None = None

    @property
    def attempt(self) -> Attempt:
        return Attempt(url=self.url, status=self.status, error=self.error, elapsed_ms=self.elapsed_ms)


def elapsed_ms(started: float) -> int:
    return int((time.monotonic() - started) * 1000)


def send(session: requests.Session, url: str, spec: RequestSpec, started: float, limit: float) -> Exchange:
    """One request, never redirected, its body streamed; a refused address or a transport failure is an Exchange
    with its error."""
    try:
        response = session.request(
            spec.method,
            url,
            data=spec.body,
            headers=spec.headers,
            timeout=(limit, limit),
            allow_redirects=False,
            stream=True,
        )
    except SSRFError as refused:  # the address resolved at connect time failed the guard (rebinding)
        return Exchange(url, elapsed_ms(started), error=refused.reason, permanent=refused.permanent)
    except requests.RequestException as exc:
        error, retryable = transport_error(exc)
        return Exchange(
            url, elapsed_ms(started), error=error, retryable=retryable, permanent=error == "bad_url"
        )
    with response:
        exchange = Exchange(url, 0, status=response.status_code, headers=response.headers)
        read_response(response, exchange, spec)
    return exchange


def read_response(response: requests.Response, exchange: Exchange, spec: RequestSpec) -> None:
    """Judge a response (retry, redirect, final error) and read an accepted 2xx body under the byte cap."""
    status = response.status_code
    if status in RETRY_STATUSES:
        exchange.error, exchange.retryable = f"http_{status}", True
        exchange.retry_after = parse_retry_after(response.headers.get("Retry-After"))
        return
    if status == 304:
        return
    if 300 <= status < 400:
        exchange.location = response.headers.get("Location") if status in REDIRECT_STATUSES else None
        if exchange.location is None:
            exchange.error = f"http_{status}"
        return
    if status >= 400 or status < 200:
        exchange.error, exchange.permanent = f"http_{status}", status in GONE_STATUSES
        return
    media_type, _ = parse_content_type(response.headers.get("Content-Type"))
    exchange.content_type = media_type
    if spec.accept is not None and media_type is not None and media_type not in spec.accept:
        exchange.error, exchange.permanent = "content_type", True
        return
    declared = response.headers.get("Content-Length", "")
    if declared.isascii() and declared.isdigit() and int(declared) > spec.max_bytes:
        exchange.error, exchange.permanent = "too_large", True
        return
    chunks: list[bytes] = []
    size = 0
    try:
        for chunk in response.iter_content(CHUNK_BYTES):
            size += len(chunk)
            if size > spec.max_bytes:
                exchange.error, exchange.permanent = "too_large", True
                return
            chunks.append(chunk)
    except requests.RequestException as exc:
        exchange.error, exchange.retryable = transport_error(exc)
        return
    body = b"".join(chunks)
    if spec.accept is not None and media_type is None and body.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] != b"<":
        # No Content-Type at all: keep it only if it looks like markup.
        exchange.error, exchange.permanent = "content_type", True
        return
    exchange.body = body
