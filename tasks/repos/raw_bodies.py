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
            "content_type": r.content_type,
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


def bodies(
    con: duckdb.DuckDBPyConnection, urls: Sequence[str]
) -> dict[str, tuple[bytes, str | None, str | None]]:
    """url -> (body bytes, encoding used, Content-Type), for the given URLs (a join on the batch's keys)."""
    if not urls:
        return {}
    rows = con.execute(
        "SELECT url, body_zlib, encoding, content_type FROM raw_bodies WHERE url IN (SELECT unnest(?))",
        [list(urls)],
    ).fetchall()
    return {url: (zlib.decompress(blob), enc, ctype) for url, blob, enc, ctype in rows}


def redecode(
    con: duckdb.DuckDBPyConnection,
    urls: Sequence[str],
    decode: Callable[[bytes, str | None], tuple[str, str]],
) -> list[str]:
    """Decode the stored bodies of `urls` again with `decode(body, content_type) -> (html, encoding)`; where the
    result differs, rewrite raw_pages.html_zlib and the recorded encoding. Returns the URLs rewritten."""
    changed = []
    for url, (body, encoding, ctype) in bodies(con, urls).items():
        html, new_encoding = decode(body, ctype)
        if new_encoding != encoding:
            changed.append(
                {"url": url, "html_zlib": zlib.compress(html.encode("utf-8"), 6), "encoding": new_encoding}
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
        set_sql="encoding = b.encoding",
        columns=("url", "encoding"),
    )
    return [c["url"] for c in changed]
