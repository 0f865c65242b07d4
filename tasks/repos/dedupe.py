"""Keyed lookups for dedupe and story linking: a batch reads only the stored articles sharing a key with it.

`index_for` (process stage) fetches the candidates of a batch by looking its keys up in `dedupe_keys` (index lookups);
`write` (load) stores the keys of the batch's new articles and their story links in the load's transaction.
The cost per article depends on how many stored articles share its keys, not on the size of the archive.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

import pyarrow as pa

import duckdb
from tasks.dedupe import DedupeIndex, KnownArticle, lookup_keys, signature_from_bytes
from tasks.models import Outcome
from tasks.repos import bulk, stories
from tasks.stories import default_config, fingerprint

NUMBER_DAYS = 3  # number keys match only articles published this many days around the page
LOOKUP_CHUNK = 500  # constants per IN list: DuckDB uses the index while a lookup matches < 2048 rows
_KEY_SCHEMA = pa.schema([("key", pa.string()), ("day", pa.date32())])


def batch_keys(items: Sequence) -> list[dict]:
    """The lookup keys of analysed pages (tasks.process.Analysed) with their publication day."""
    from tasks.dedupe import minhash

    config = default_config()
    rows = []
    for item in items:
        if not item.text:
            continue
        published = item.page.published or item.raw.published_hint
        fp = fingerprint(item.page.title or "", item.text, item.language, published, config)
        signature = item.signature if item.signature is not None else minhash(item.text)
        keys = lookup_keys(item.canonical, item.digest, item.text, signature, fp.numbers)
        day = published.date() if published else None
        rows += [{"key": k, "day": day} for k in keys]
    return rows


def stored_key(key: str, day: date | None) -> str | None:
    """A lookup key as `dedupe_keys` holds it: a number key carries its publication day (none without a day)."""
    if not key.startswith("n:"):
        return key
    return f"{key}@{day.isoformat()}" if day is not None else None


def probe_keys(keys: Sequence[dict]) -> list[str]:
    """The stored keys a batch's keys can meet: a number key on each day within NUMBER_DAYS of the page."""
    probe = set()
    for row in keys:
        key, day = row["key"], row["day"]
        if not key.startswith("n:"):
            probe.add(key)
        elif day is not None:
            probe |= {
                f"{key}@{(day + timedelta(days=d)).isoformat()}" for d in range(-NUMBER_DAYS, NUMBER_DAYS + 1)
            }
    return sorted(probe)


def _literals(values: Sequence[str]) -> str:
    return ", ".join("'" + v.replace("'", "''") + "'" for v in values)


def _chunks(values: Sequence[str]):
    for start in range(0, len(values), LOOKUP_CHUNK):
        yield values[start : start + LOOKUP_CHUNK]


def lookup_sql(select: str, column: str, values: Sequence[str]) -> str:
    """`select ... WHERE column IN (<constants>)`: DuckDB answers an IN list of constants from the column's ART
    index; a join against a registered batch, or an IN list of bound parameters, scans the whole table."""
    return f"{select} WHERE {column} IN ({_literals(values)})"


def _lookup(con: duckdb.DuckDBPyConnection, select: str, column: str, values: Sequence[str]) -> list[tuple]:
    """`lookup_sql`, a chunk of values at a time (the index is used while a lookup matches few rows)."""
    rows = []
    for chunk in _chunks(sorted(set(values))):
        rows += con.execute(lookup_sql(select, column, chunk)).fetchall()
    return rows


def candidates(
    con: duckdb.DuckDBPyConnection, keys: list[dict], exclude_urls: Sequence[str] = ()
) -> list[KnownArticle]:
    """Stored articles sharing a key with `keys` (number keys: only within NUMBER_DAYS of the page).

    Point lookups by key, then by article id and URL, each answered from an index: the cost depends on the
    batch and on how many stored articles share its keys, not on the size of the archive.
    """
    if not keys:
        return []
    ids = {r[0] for r in _lookup(con, "SELECT article_id FROM dedupe_keys", "key", probe_keys(keys))}
    if not ids:
        return []
    articles = _lookup(
        con,
        "SELECT article_id, url, canonical_url, text_hash, title, text, language, published_at, story_id "
        "FROM articles",
        "article_id",
        list(ids),
    )
    excluded = set(exclude_urls)
    articles = [a for a in articles if a[1] not in excluded]
    signatures = dict(
        _lookup(con, "SELECT article_id, signature FROM article_minhash", "article_id", list(ids))
    )
    linked = dict(_lookup(con, "SELECT url, story_id FROM story_articles", "url", [a[1] for a in articles]))
    return [
        KnownArticle(
            aid,
            canonical,
            digest,
            signatures.get(aid),
            title,
            text,
            language,
            published,
            linked.get(url) or story,
        )
        for aid, url, canonical, digest, title, text, language, published, story in sorted(articles)
    ]


def index_for(
    con: duckdb.DuckDBPyConnection, items: Sequence, exclude_urls: Sequence[str] = ()
) -> DedupeIndex:
    """The dedupe index for one batch of analysed pages: only the stored articles sharing a key with it."""
    return DedupeIndex(candidates(con, batch_keys(items), exclude_urls))


def keyed_index(store, exclude_urls: Sequence[str] = ()):
    """For the flows: analysed batch -> the run's index, topped up with the stored articles sharing a key with
    that batch (`exclude_urls`: pages being decided again). What the run loads stays in it, batch to batch."""
    index = DedupeIndex([])

    def for_batch(items: Sequence) -> DedupeIndex:
        with store.connect() as con:
            index.extend(candidates(con, batch_keys(items), exclude_urls))
        return index

    return for_batch


def write(con: duckdb.DuckDBPyConnection, outcomes: list[Outcome], run_id: str, linked_at) -> None:
    """Keys of the batch's new articles, then its story links (inside the caller's transaction)."""
    config = default_config()
    rows = []
    for o in outcomes:
        a = o.article
        if a is None:
            continue
        signature = signature_from_bytes(a.signature) if a.signature is not None else None
        fp = fingerprint(a.title or "", a.text, a.language, a.published_at, config)
        day = a.published_at.date() if a.published_at else None
        keys = lookup_keys(a.canonical_url, a.text_hash, a.text, signature, fp.numbers)
        rows += [
            {"key": stored, "article_id": a.article_id, "day": day}
            for stored in sorted(filter(None, (stored_key(k, day) for k in keys)))
        ]
    schema = pa.schema([("key", pa.string()), ("article_id", pa.string()), ("day", pa.date32())])
    bulk.insert(
        con,
        "dedupe_keys",
        rows,
        ["key", "article_id", "day"],
        on_conflict="ON CONFLICT DO NOTHING",
        schema=schema,
    )
    stories.write(con, outcomes, run_id, linked_at)


def forget(con: duckdb.DuckDBPyConnection, urls: list[str]) -> None:
    """Withdraw the keys and story links of pages decided again (reprocessing); `write` links them afresh."""
    con.execute(
        "DELETE FROM dedupe_keys WHERE article_id IN (SELECT article_id FROM articles WHERE url IN "
        "(SELECT unnest(?::VARCHAR[])))",
        [urls],
    )
    con.execute("DELETE FROM story_articles WHERE url IN (SELECT unnest(?::VARCHAR[]))", [urls])
