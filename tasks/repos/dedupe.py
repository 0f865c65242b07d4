"""Keyed lookups for dedupe and story linking: a batch reads only the stored articles sharing a key with it.

`index_for` (process stage) fetches the candidates of a batch by looking its keys up in `dedupe_keys` (index lookups);
`write` (load) stores the keys of the batch's new articles and their story links in the load's transaction.
The cost per article depends on how many stored articles share its keys, not on the size of the archive: names
and numbers are keyed in pairs (tasks.dedupe.pair_keys), so a name every article of a busy day mentions does not
find them all.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence, Set
from datetime import timedelta

import pyarrow as pa

import duckdb
from tasks.dedupe import (
    NUMBER_DAYS,
    DedupeIndex,
    KnownArticle,
    is_day_key,
    lookup_keys,
    pick_candidates,
    probes,
    signature_from_bytes,
    stored_key,
)
from tasks.models import Outcome
from tasks.repos import bulk, stories
from tasks.stories import default_config, fingerprint


def batch_keys(items: Sequence) -> list[dict]:
    """The lookup keys of analysed pages (tasks.process.Analysed) with their publication day and the page's place
    in the batch (`item`)."""
    from tasks.dedupe import minhash

    config = default_config()
    rows = []
    for place, item in enumerate(items):
        if not item.text:
            continue
        published = item.published
        fp = item.fingerprint or fingerprint(
            item.page.title or "", item.text, item.language, published, config
        )
        signature = item.signature if item.signature is not None else minhash(item.text)
        keys = lookup_keys(item.canonical, item.digest, item.text, signature, fp.numbers, fp.keyed_names)
        day = published.date() if published else None
        rows += [{"key": k, "day": day, "item": place} for k in keys]
    return rows


def probe_keys(keys: Sequence[dict]) -> list[str]:
    """The stored keys a batch's keys can meet: a pair or sole-number key on each day within NUMBER_DAYS of the
    page."""
    return sorted({probe for row in keys for probe in probes(row["key"], row["day"])})


def key_holders(con: duckdb.DuckDBPyConnection, keys: Sequence[dict]) -> list[tuple[str, str]]:
    """(key, article_id) of the stored keys a batch's keys meet. Keys without a day (URL, text, paragraph, band)
    by index lookups; pair and sole-number keys, most of a batch's probes, in one query over the rows of the
    batch's days (tasks.repos.bulk.lookup_days): their stored day is the day they name."""
    probed = probe_keys(keys)
    plain = [k for k in probed if not is_day_key(k)]
    dated = [k for k in probed if is_day_key(k)]
    found = bulk.lookup(con, "SELECT key, article_id FROM dedupe_keys", "key", plain)
    days = [row["day"] for row in keys if row["day"] is not None and is_day_key(row["key"])]
    if dated and days:
        first, last = min(days) - timedelta(days=NUMBER_DAYS), max(days) + timedelta(days=NUMBER_DAYS)
        found += bulk.lookup_days(
            con, "SELECT key, article_id FROM dedupe_keys", "key", dated, "day", first, last
        )
    return found


def candidates(
    con: duckdb.DuckDBPyConnection,
    keys: list[dict],
    exclude_urls: Sequence[str] = (),
    held_ids: Set[str] = frozenset(),
    holders: dict[str, set[str]] | None = None,
) -> list[KnownArticle]:
    """Stored articles sharing a key with `keys` (pair and sole-number keys: only within NUMBER_DAYS of the page,
    and at most NAME_CANDIDATES per page found by them alone; see tasks.dedupe.pick_candidates).

    Point lookups by key, then by article id and URL, each answered from an index: the cost depends on the
    batch and on how many stored articles share its keys, not on the size of the archive. Articles in
    `held_ids` (the run's index has them) come back as bare ids (`KnownArticle.text` None), not read again.
    `holders`, when given, is filled with the stored articles holding each pair and sole-number key met
    (`DedupeIndex.know_holders`: what tells a key that has reached KEY_CAP).
    """
    if not keys:
        return []
    held: dict[str, set[str]] = defaultdict(set)
    for key, article_id in key_holders(con, keys):
        held[key].add(article_id)
    if holders is not None:
        holders.update((k, ids) for k, ids in held.items() if is_day_key(k))
    if not held:
        return []
    pages: dict[tuple, list[str]] = defaultdict(list)
    for row in keys:
        pages[(row.get("item"), row["day"])].append(row["key"])
    empty: set[str] = set()
    ids = set()
    for (_, day), page_keys in pages.items():
        ids |= pick_candidates(page_keys, day, lambda key: held.get(key, empty))
    already = sorted(ids & held_ids)
    ids -= held_ids
    articles = bulk.lookup(
        con,
        "SELECT article_id, url, canonical_url, text_hash, title, text, language, published_at, story_id "
        "FROM articles",
        "article_id",
        list(ids),
    )
    excluded = set(exclude_urls)
    articles = [a for a in articles if a[1] not in excluded]
    signatures = dict(
        bulk.lookup(con, "SELECT article_id, signature FROM article_minhash", "article_id", list(ids))
    )
    marks = dict(bulk.lookup(con, "SELECT article_id, marks FROM article_marks", "article_id", list(ids)))
    linked = dict(
        bulk.lookup(con, "SELECT url, story_id FROM story_articles", "url", [a[1] for a in articles])
    )
    return [KnownArticle(aid, "", "") for aid in already] + [
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
            marks.get(aid),
        )
        for aid, url, canonical, digest, title, text, language, published, story in sorted(articles)
    ]


def index_for(
    con: duckdb.DuckDBPyConnection, items: Sequence, exclude_urls: Sequence[str] = ()
) -> DedupeIndex:
    """The dedupe index for one batch of analysed pages: only the stored articles sharing a key with it."""
    holders: dict[str, set[str]] = {}
    index = DedupeIndex(candidates(con, batch_keys(items), exclude_urls, holders=holders))
    index.know_holders(holders)
    return index


RUN_INDEX_ARTICLES = 3_000  # articles the run's index holds (~24 KB each); the least recently needed go first


def keyed_index(store, exclude_urls: Sequence[str] = (), limit: int = RUN_INDEX_ARTICLES):
    """For the flows: analysed batch -> the run's index, topped up with the stored articles sharing a key with
    that batch (`exclude_urls`: pages being decided again, until their own batch has been decided and loaded).

    What the run loads stays in it, batch to batch, up to `limit` articles; those least recently needed are let
    go (they are stored: the batch that needs one again reads it back), so its memory does not grow with the run.
    """
    index = DedupeIndex([])
    waiting = set(exclude_urls)
    previous: list[str] = []

    def for_batch(items: Sequence) -> DedupeIndex:
        waiting.difference_update(previous)  # decided and loaded afresh: stored as they are now
        previous[:] = [item.raw.url for item in items]
        with store.connect() as con:
            holders: dict[str, set[str]] = {}
            found = candidates(con, batch_keys(items), tuple(waiting), index.held(), holders)
        index.extend(found)
        index.know_holders(holders)
        index.evict(limit, keep={k.article_id for k in found})
        return index

    return for_batch


def article_keys(a) -> list[str]:
    """The `dedupe_keys` of an article row: as decided (`ArticleRow.keys`), or derived from its fields."""
    if a.keys is not None:
        return list(dict.fromkeys(a.keys))  # each key once: the table has no row key to refuse a repeat
    signature = signature_from_bytes(a.signature) if a.signature is not None else None
    fp = fingerprint(a.title or "", a.text, a.language, a.published_at, default_config())
    day = a.published_at.date() if a.published_at else None
    keys = lookup_keys(a.canonical_url, a.text_hash, a.text, signature, fp.numbers, fp.keyed_names)
    return sorted(filter(None, (stored_key(k, day) for k in keys)))


_KEY_SCHEMA = pa.schema([("key", pa.string()), ("article_id", pa.string()), ("day", pa.date32())])


def write(
    con: duckdb.DuckDBPyConnection,
    outcomes: list[Outcome],
    run_id: str,
    linked_at,
    *,
    stored: Set[str] | None = None,
) -> None:
    """Keys of the batch's new articles, then its story links (inside the caller's transaction).

    `stored`: the batch's articles that may already have keys (stored before this load; None: any of them).
    Their keys are looked up by key and only the missing ones written; the new articles' keys go in with a plain
    insert (a rerun writes each key once: tests/test_store.py).
    """
    articles = {o.article.article_id: o.article for o in outcomes if o.article is not None}
    by_article = {
        aid: article_keys(a) for aid, a in articles.items()
    }  # derived once (a fallback re-fingerprints)
    keys, ids, days = [], [], []
    held: set[tuple[str, str]] = set()
    maybe_stored = set(articles) if stored is None else set(stored) & set(articles)
    if maybe_stored:
        wanted = [k for aid in maybe_stored for k in by_article[aid]]
        held = {
            (k, aid) for k, aid in bulk.lookup(con, "SELECT key, article_id FROM dedupe_keys", "key", wanted)
        }
    for aid, a in articles.items():
        day = a.published_at.date() if a.published_at else None
        for key in by_article[aid]:
            if (key, aid) not in held:
                keys.append(key)
                ids.append(aid)
                days.append(day)
    if keys:
        table = pa.table({"key": keys, "article_id": ids, "day": days}, schema=_KEY_SCHEMA)
        with bulk.registered(con, table) as name:
            con.execute(f"INSERT INTO dedupe_keys SELECT key, article_id, day FROM {name}")
    stories.write(con, outcomes, run_id, linked_at)


def forget(con: duckdb.DuckDBPyConnection, urls: list[str]) -> None:
    """Withdraw the keys and story links of pages decided again (reprocessing); `write` links them afresh."""
    con.execute(
        "DELETE FROM dedupe_keys WHERE article_id IN (SELECT article_id FROM articles WHERE url IN "
        "(SELECT unnest(?::VARCHAR[])))",
        [urls],
    )
    con.execute("DELETE FROM story_articles WHERE url IN (SELECT unnest(?::VARCHAR[]))", [urls])
