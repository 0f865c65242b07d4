"""Canonical URLs: newsmon's canonicalisation beside courlan's (what newsmon used before), on real links.

Reads every absolute http(s) link (`href`) of the HTML files under the given paths (files or directories, e.g. a
folder of saved news pages), then prints for each canonicaliser:
  distinct      distinct canonical URLs out of the distinct links in
  merged        pairs of links that differ in a query parameter that is not on the tracking list (config/urls.toml)
                but come out as one URL (an article id lost: two articles become one request)
  path_changed  links whose path (as percent-encoded bytes) the canonicaliser changed
  userinfo      outputs that still carry user:password@
  not_idem      outputs u with canonical(u) != u
  ms/1k         milliseconds per thousand links

    uv run python bench/canonical.py PATH... [--json]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import defaultdict
from html import unescape
from pathlib import Path
from urllib.parse import quote, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import courlan  # noqa: E402

from tasks.canonical import _query_pairs, canonical_url, is_tracking_param  # noqa: E402

_HREF = re.compile(r"""href\s*=\s*["'](https?://[^"'\s<>]+)["']""", re.IGNORECASE)


def courlan_canonical(url: str) -> str | None:
    """newsmon's canonicalisation before this version: courlan.clean_url + normalize_url(strict=True)."""
    cleaned = courlan.clean_url(url.strip())
    if not cleaned:
        return None
    try:
        out = courlan.normalize_url(cleaned, strict=True)
    except ValueError:
        return None
    return out if urlsplit(out).hostname else None


def links(paths: list[Path]) -> list[str]:
    found: set[str] = set()
    for root in paths:
        files = sorted(root.rglob("*.htm*")) if root.is_dir() else [root]
        for f in files:
            text = f.read_text(encoding="utf-8", errors="replace")
            found.update(unescape(m) for m in _HREF.findall(text))
    return sorted(found)


def _identity(url: str) -> tuple | None:
    """What names the page: host, path, and the non-tracking parameters (sorted)."""
    try:
        p = urlsplit(url)
        host = (p.hostname or "").lower()
    except ValueError:
        return None
    params = tuple(sorted((n, v) for n, v in _query_pairs(p.query) if not is_tracking_param(n)))
    return host, p.path or "/", params


def measure(name: str, fn, urls: list[str]) -> dict:
    started = time.perf_counter()
    out = {u: fn(u) for u in urls}
    elapsed = time.perf_counter() - started
    kept = {u: c for u, c in out.items() if c}
    by_output: dict[str, set] = defaultdict(set)
    for u, c in kept.items():
        ident = _identity(u)
        if ident:
            by_output[c].add(ident)
    merged = sum(len(ids) - 1 for ids in by_output.values() if len({i[2] for i in ids}) > 1)
    path_changed = 0
    for u, c in kept.items():
        try:
            before = quote(urlsplit(u).path or "/", safe="/%:@!$&'()*+,;=-._~")
            after = urlsplit(c).path or "/"
        except ValueError:
            continue
        path_changed += before != after
    userinfo = sum(1 for c in kept.values() if "@" in (urlsplit(c).netloc or ""))
    not_idem = sum(1 for c in kept.values() if fn(c) != c)
    return {
        "canonicaliser": name,
        "links": len(urls),
        "distinct": len(set(kept.values())),
        "merged": merged,
        "path_changed": path_changed,
        "userinfo": userinfo,
        "not_idem": not_idem,
        "ms_per_1k": round(1000 * elapsed / max(1, len(urls)) * 1000, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("paths", nargs="+", type=Path)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    urls = links(args.paths)
    results = [
        measure("newsmon canonical_url", canonical_url, urls),
        measure("courlan strict", courlan_canonical, urls),
    ]
    if args.json:
        print(json.dumps(results))
        return
    cols = list(results[0])
    print(" | ".join(cols))
    for r in results:
        print(" | ".join(str(r[c]) for c in cols))


if __name__ == "__main__":
    main()
