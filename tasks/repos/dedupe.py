"""Keyed lookups for dedupe and story linking: a batch reads only the stored articles sharing a key with it.

`index_for` (process stage) fetches the candidates of a batch by joining its keys against `dedupe_keys`;
`write` (load) stores the keys of the batch's new articles and their story links in the load's transaction.
The cost per article depends on how many stored articles share its keys, not on the size of the archive.
"""

from __future__ import annotations

from collections.abc import Sequence

import pyarrow as pa

import duckdb
from tasks.dedupe import DedupeIndex, KnownArticle, lookup_keys, signature_from_bytes
from tasks.models import Outcome
from tasks.repos import bulk, stories
from tasks.stories import default_config, fingerprint

NUMBER_DAYS = 3  # number keys match only articles published this many days around the page
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


def candidates(
    con: duckdb.DuckDBPyConnection, keys: list[dict], exclude_urls: Sequence[str] = ()
) -> list[KnownArticle]:
    """Stored articles sharing a key with `keys` (number keys: only within NUMBER_DAYS of the page)."""
    if not keys:
        return []
    unique = list({(r["key"], r["day"]): r for r in keys}.values())
    with bulk.registered(con, bulk.arrow_table(unique, ["key", "day"], _KEY_SCHEMA)) as name:
        rows = con.execute(
            f"""
            WITH hits AS (
                SELECT DISTINCT k.article_id FROM {name} b JOIN dedupe_keys k ON k.key = b.key
                WHERE NOT starts_with(b.key, 'n:')
                   OR (b.day IS NOT NULL AND k.day IS NOT NULL
                       AND k.day BETWEEN b.day - INTERVAL {NUMBER_DAYS} DAY AND b.day + INTERVAL {NUMBER_DAYS} DAY)
            )
            SELECT a.article_id, a.canonical_url, a.text_hash, m.signature, a.title, a.text, a.language,
                   a.published_at, coalesce(sa.story_id, a.story_id)
            FROM hits JOIN articles a USING (article_id)
            LEFT JOIN article_minhash m USING (article_id)
            LEFT JOIN story_articles sa ON sa.url = a.url
            WHERE a.url NOT IN (SELECT unnest(?::VARCHAR[]))
            ORDER BY a.article_id
            """,
            [list(exclude_urls)],
        ).fetchall()
    return [KnownArticle(*row) for row in rows]


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
        rows += [
            {"key": k, "article_id": a.article_id, "day": day}
            for k in lookup_keys(a.canonical_url, a.text_hash, a.text, signature, fp.numbers)
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
