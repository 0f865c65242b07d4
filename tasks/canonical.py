"""URL canonicalisation: one spelling per article, before and after fetching.

Only what cannot change which page a server returns is normalised: scheme and host case, the default port,
userinfo, the fragment, and the tracking/session parameters listed in `config/urls.toml`. Every other query
parameter is kept (news CMSs identify articles by `?idxno=`, `?id=`, `?articleId=`, Naver's `?oid=&aid=`, ...),
and the path keeps its characters: only characters that may not appear in a URL at all (spaces, non-ASCII) are
percent-encoded, existing escapes are left as they are. The result is idempotent:
`canonical_url(canonical_url(u)) == canonical_url(u)`.

Written on `urllib.parse` rather than courlan, whose normalisation drops identifying parameters in strict mode
and rewrites paths; the rules here are few and each is tested.
"""

from __future__ import annotations

import functools
import hashlib
import re
import tomllib
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

from pydantic import BaseModel, ConfigDict, Field, ValidationError

URLS_CONFIG = Path(__file__).resolve().parent.parent / "config" / "urls.toml"

_AMP_PATH = re.compile(r"(^|/)amp(/|$)")
_AMP_SUFFIX = re.compile(r"(\.amp(?=\.html?$)|/amp/?$|\.amp$)")
_PARAM_NAME = re.compile(r"^[A-Za-z0-9_.\-\[\]]+\*?$")
# Characters kept as they are: RFC 3986 unreserved, sub-delims, ':' '@' '/' and '%' (existing escapes).
_PATH_SAFE = "/%:@!$&'()*+,;=-._~"
_QUERY_SAFE = "/?%:@!$'()*+,;=-._~"  # '&' and '=' are handled by splitting
_REG_NAME = re.compile(r"^[a-z0-9\-._~%!$&'()*+,;=]+$")  # RFC 3986 reg-name, lower-cased
_DEFAULT_PORTS = {"http": 80, "https": 443}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _Tracking(_Strict):
    params: tuple[str, ...] = Field(min_length=1)


class UrlRules(_Strict):
    tracking: _Tracking


class UrlConfigError(ValueError):
    """config/urls.toml is missing or invalid; the message names the file and the field."""


@functools.cache
def load_rules(path: Path = URLS_CONFIG) -> tuple[frozenset[str], tuple[str, ...]]:
    """The tracking parameters of `path`: (exact names, prefixes), lower-cased."""
    try:
        with path.open("rb") as fh:
            raw = tomllib.load(fh)
    except FileNotFoundError:
        raise UrlConfigError(f"{path}: file not found") from None
    except tomllib.TOMLDecodeError as exc:
        raise UrlConfigError(f"{path}: not valid TOML: {exc}") from None
    try:
        rules = UrlRules.model_validate(raw)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors())
        raise UrlConfigError(f"{path}: {problems}") from None
    for i, name in enumerate(rules.tracking.params):
        if not _PARAM_NAME.match(name):
            raise UrlConfigError(
                f"{path}: tracking.params.{i}: {name!r} is not a parameter name (or prefix*)"
            )
    exact = frozenset(n.lower() for n in rules.tracking.params if not n.endswith("*"))
    prefixes = tuple(n[:-1].lower() for n in rules.tracking.params if n.endswith("*"))
    return exact, prefixes


def is_tracking_param(name: str) -> bool:
    exact, prefixes = load_rules()
    lowered = name.lower()
    return lowered in exact or lowered.startswith(prefixes)


def _query_pairs(query: str) -> list[tuple[str, str]]:
    """The query's parameters, still percent-encoded, as (name, rest-including-'='); empty pieces dropped."""
    pairs = []
    for piece in query.split("&"):
        if not piece:
            continue
        name, eq, value = piece.partition("=")
        pairs.append((quote(name, safe=_QUERY_SAFE), eq + quote(value, safe=_QUERY_SAFE + "=")))
    return pairs


def _host(parts) -> str | None:
    try:
        host = parts.hostname  # lower-cased, userinfo and port removed
        port = parts.port
    except ValueError:  # a port that is not a number or out of range
        return None
    if not host or any(c.isspace() for c in host):
        return None
    if not host.isascii():
        try:
            host = host.encode("idna").decode("ascii")
        except UnicodeError:
            return None
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    elif not _REG_NAME.match(host):
        return None
    if port is not None and port != _DEFAULT_PORTS.get(parts.scheme.lower()):
        host = f"{host}:{port}"
    return host


def canonical_url(url: str) -> str | None:
    """The one spelling of a discovered URL; None for what cannot be an article URL (not http(s), no host)."""
    url = url.strip()
    if not url.lower().startswith(("http://", "https://")):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:  # e.g. an unbalanced '[' in the host
        return None
    host = _host(parts)
    if host is None:
        return None
    path = quote(parts.path, safe=_PATH_SAFE) or "/"
    pairs = [(n, rest) for n, rest in _query_pairs(parts.query) if not is_tracking_param(n)]
    pairs.sort(key=lambda p: p[0])  # stable: repeated names keep their order
    query = "&".join(n + rest for n, rest in pairs)
    return urlunsplit((parts.scheme.lower(), host, path, query, ""))


def is_amp_url(url: str) -> bool:
    parts = urlsplit(url)
    return bool(
        _AMP_PATH.search(parts.path)
        or _AMP_SUFFIX.search(parts.path)
        or (parts.hostname or "").startswith("amp.")
        or "amp=1" in parts.query.split("&")
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


def _params(url: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for name, rest in _query_pairs(urlsplit(url).query):
        found.setdefault(name, []).append(rest)
    return found


def drops_identifying_param(fetched: str, declared: str) -> bool:
    """True when `declared` is the same page address as `fetched` without (or with other values of) a
    parameter that identifies the article: the template mistake `articleView.html?idxno=5` -> `articleView.html`."""
    f, d = urlsplit(fetched), urlsplit(declared)
    if (f.hostname, f.path.rstrip("/")) != (d.hostname, d.path.rstrip("/")):
        return False
    fetched_params, declared_params = _params(fetched), _params(declared)
    return any(declared_params.get(name) != values for name, values in fetched_params.items())


def resolve_canonical(fetched_url: str, declared: str | None) -> str:
    """The canonical URL of a fetched page: its rel=canonical when usable, else the fetched URL.

    A declared canonical on another host is accepted (syndication partners point to the original), but not one
    that is not http(s), that points to a site root (a common template mistake), or that is the fetched address
    without one of its identifying parameters (another one).
    """
    fetched = canonical_url(fetched_url)
    if declared:
        cleaned = canonical_url(declared)
        if cleaned and urlsplit(cleaned).path not in ("", "/"):
            base = canonical_url(non_amp_url(fetched)) if fetched else None
            if not (base and drops_identifying_param(base, cleaned)):
                return cleaned
    return fetched or fetched_url


def article_id(canonical: str) -> str:
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:16]
