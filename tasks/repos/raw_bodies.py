"""Raw body bytes beside the decoded HTML (table raw_bodies), so a page can be decoded again without refetching."""

from __future__ import annotations

import hashlib
import zlib
from collections.abc import Callable, Sequence
from datetime import datetime

import duckdb
from tasks.models import FetchResult
from tasks.repos import bulk

_COLUMNS = (
    "url",
    "body_zlib",
    "body_bytes",
    "encoding",
    "encoding_reason",
    "content_type",
    "content_hash",
    "run_id",
    "fetched_at",
)


def save(
    con: duckdb.DuckDBPyConnection, results: Sequence[FetchResult], run_id: str, fetched_at: datetime
) -> int:
    """The bodies of the stored pages among `results` (one statement; call inside the fetch batch's transaction)."""
    rows = [
        {
            "url": r.url,
            "body_zlib": zlib.compress(r.body, 6),
            "body_bytes": len(r.body),
            "encoding": r.encoding,
            "encoding_reason": r.encoding_reason,
            "content_type": _content_type(r),
            "content_hash": hashlib.sha256(r.body).hexdigest(),
            "run_id": run_id,
            "fetched_at": fetched_at,
        }
        for r in {r.url: r for r in results if r.ok and r.text is not None and r.body is not None}.values()
    ]
    updates = ", ".join(f"{c} = excluded.{c}" for c in _COLUMNS[1:])
    return bulk.insert(
        con, "raw_bodies", rows, _COLUMNS, on_conflict=f"ON CONFLICT (url) DO UPDATE SET {updates}"
    )


def _content_type(r: FetchResult) -> str | None:
    """The Content-Type as the decoder needs it: the media type and the header's charset, if any."""
    if r.charset and r.content_type:
        return f"{r.content_type}; charset={r.charset}"
    return r.content_type


def bodies(
    con: duckdb.DuckDBPyConnection, urls: Sequence[str]
) -> dict[str, tuple[bytes, str | None, str | None]]:
    """url -> (body bytes, encoding used, Content-Type), for the given URLs (looked up by key: a semi-join on a
    list of URLs reads every stored body)."""
    if not urls:
        return {}
    rows = bulk.lookup(con, "SELECT url, body_zlib, encoding, content_type FROM raw_bodies", "url", urls)
    return {url: (zlib.decompress(blob), enc, ctype) for url, blob, enc, ctype in rows}


def redecode(
    con: duckdb.DuckDBPyConnection,
    urls: Sequence[str],
    decode: Callable[[bytes, str | None], tuple],
) -> list[str]:
    """Decode the stored bodies of `urls` again with `decode(body, content_type) -> (html, encoding[, reason])`;
    where the charset or the text differs from what raw_pages holds, rewrite raw_pages.html_zlib and the
    recorded charset (and its reason). Returns the URLs rewritten. Call inside a transaction."""
    if not urls:
        return []
    pages = dict(bulk.lookup(con, "SELECT url, html_zlib FROM raw_pages", "url", urls))
    rows = [
        (*r, pages[r[0]])
        for r in sorted(
            bulk.lookup(con, "SELECT url, body_zlib, encoding, content_type FROM raw_bodies", "url", urls)
        )
        if r[0] in pages
    ]
    changed = []
    for url, blob, encoding, ctype, stored in rows:
        html, new_encoding, *why = decode(zlib.decompress(blob), ctype)
        html_zlib = zlib.compress(html.encode("utf-8"), 6)
        if new_encoding != encoding or zlib.decompress(stored) != html.encode("utf-8"):
            changed.append(
                {
                    "url": url,
                    "html_zlib": html_zlib,
                    "encoding": new_encoding,
                    "encoding_reason": why[0] if why else None,
                }
            )
    bulk.update(
        con,
        "raw_pages",
        changed,
        key="url",
        set_sql="html_zlib = b.html_zlib, encoding = b.encoding",
        columns=("url", "html_zlib", "encoding"),
    )
    bulk.update(
        con,
        "raw_bodies",
        changed,
        key="url",
        set_sql="encoding = b.encoding, encoding_reason = b.encoding_reason",
        columns=("url", "encoding", "encoding_reason"),
    )
    return [c["url"] for c in changed]


def current_decoder(body: bytes, content_type: str | None) -> tuple[str, str, str]:
    """The fetcher's own decoding of a body (tasks.decoding.decode_body), from its Content-Type header."""
    from tasks.decoding import decode_body
    from tasks.http import parse_content_type

    return decode_body(body, parse_content_type(content_type)[1])
