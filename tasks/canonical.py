"""URL canonicalisation: one spelling per article, before and after fetching."""

from __future__ import annotations

import hashlib
import re
from urllib.parse import urlsplit, urlunsplit

import courlan

_AMP_PATH = re.compile(r"(^|/)amp(/|$)")
_AMP_SUFFIX = re.compile(r"(\.amp(?=\.html?$)|/amp/?$|\.amp$)")


def canonical_url(url: str) -> str | None:
    """Clean a discovered URL: tracking parameters (utm_*, fbclid, ...) and fragments off, host lower-cased.

    Returns None for what cannot be an article URL (not http(s), no host).
    """
    url = url.strip()
    if not url.lower().startswith(("http://", "https://")):
        return None
    cleaned = courlan.clean_url(url)
    if not cleaned:
        return None
    try:
        normalised = courlan.normalize_url(cleaned, strict=True)
    except ValueError:
        return None
    return normalised if urlsplit(normalised).hostname else None


def is_amp_url(url: str) -> bool:
    parts = urlsplit(url)
    return bool(
        _AMP_PATH.search(parts.path)
        or _AMP_SUFFIX.search(parts.path)
        or (parts.hostname or "").startswith("amp.")
        or "amp=1" in parts.query
        or parts.query == "amp"
    )


def non_amp_url(url: str) -> str:
    """The URL a page's AMP variant most likely stands for; the page's rel=canonical confirms it after fetching."""
    parts = urlsplit(url)
    host = parts.netloc[4:] if parts.netloc.startswith("amp.") else parts.netloc
    path = _AMP_PATH.sub(r"\1", parts.path, count=1)
    path = _AMP_SUFFIX.sub("", path) or "/"
    query = "&".join(q for q in parts.query.split("&") if q not in ("amp", "amp=1"))
    return urlunsplit((parts.scheme, host, path, query, ""))


def resolve_canonical(fetched_url: str, declared: str | None) -> str:
    """The canonical URL of a fetched page: its rel=canonical when usable, else the fetched URL.

    A declared canonical on another host is accepted (syndication partners point to the original), but not one
    that is not http(s) or that points to a site root (a common template mistake).
    """
    if declared:
        cleaned = canonical_url(declared)
        if cleaned and urlsplit(cleaned).path not in ("", "/"):
            return cleaned
    return canonical_url(fetched_url) or fetched_url


def article_id(canonical: str) -> str:
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:16]
