"""Stories in DuckDB: the story links of a batch, merges, and each touched story's summary row.

Everything is keyed by the batch's URLs and story ids: a batch never reads the whole archive.
"""

from __future__ import annotations

import json
from datetime import date

import pyarrow as pa

import duckdb
from tasks.models import Outcome
from tasks.repos import bulk

_COLUMNS = [
    "url",
    "article_id",
    "story_id",
    "relation",
    "linked_to",
    "similarity",
    "evidence",
    "language",
    "site",
    "title",
    "published_at",
    "run_id",
    "linked_at",
]
_SCHEMA = pa.schema(
    [
        ("url", pa.string()),
        ("article_id", pa.string()),
        ("story_id", pa.string()),
        ("relation", pa.string()),
        ("linked_to", pa.string()),
        ("similarity", pa.float64()),
        ("evidence", pa.string()),
        ("language", pa.string()),
        ("site", pa.string()),
        ("title", pa.string()),
        ("published_at", pa.timestamp("us", tz="UTC")),
        ("run_id", pa.string()),
        ("linked_at", pa.timestamp("us", tz="UTC")),
    ]
)


def write(con: duckdb.DuckDBPyConnection, outcomes: list[Outcome], run_id: str, linked_at) -> None:
    rows, merges = [], []
    for o in outcomes:
        if o.story is None:
            continue
        s = o.story
        rows.append(
            {
                "url": o.url,
                "article_id": o.article_id,
                "story_id": s.story_id,
                "relation": s.relation,
                "linked_to": s.linked_to,
                "similarity": s.similarity,
                "evidence": json.dumps(s.evidence, ensure_ascii=False, sort_keys=True)
                if s.evidence
                else None,
                "language": o.language,
                "site": o.site,
                "title": o.article.title if o.article else None,
                "published_at": o.published_at,
                "run_id": run_id,
                "linked_at": linked_at,
            }
        )
        merges += [
            {
                "old_story_id": old,
                "story_id": s.story_id,
                "url": o.url,
                "run_id": run_id,
                "merged_at": linked_at,
            }
            for old in s.merged
        ]
    if not rows:
        return
    linked_before = bulk.stored(con, "story_articles", "url", [r["url"] for r in rows])  # looked up by key
    bulk.insert(
        con, "story_articles", rows, _COLUMNS, on_conflict="ON CONFLICT (url) DO NOTHING", schema=_SCHEMA
    )
    touched = sorted({r["story_id"] for r in rows})
    if merges:
        bulk.insert(
            con,
            "story_merges",
            merges,
            ["old_story_id", "story_id", "url", "run_id", "merged_at"],
            on_conflict="ON CONFLICT DO NOTHING",
        )
        old = [m["old_story_id"] for m in merges]
        # earlier merges into a now-merged story follow it
        con.execute(
            "UPDATE story_merges SET story_id = m.story_id FROM (SELECT unnest(?::VARCHAR[]) AS o, "
            "unnest(?::VARCHAR[]) AS story_id) m WHERE story_merges.story_id = m.o",
            [old, [m["story_id"] for m in merges]],
        )
        con.execute(
            "UPDATE story_articles SET story_id = m.story_id FROM (SELECT unnest(?::VARCHAR[]) AS o, "
            "unnest(?::VARCHAR[]) AS story_id) m WHERE story_articles.story_id = m.o",
            [old, [m["story_id"] for m in merges]],
        )
        con.execute("DELETE FROM stories WHERE story_id IN (SELECT unnest(?::VARCHAR[]))", [old])
    if merges or linked_before:
        # an article follows its link: a merged story, or a page linked before this load (the link was kept).
        # Otherwise every page of the batch was linked to the story its article row names: nothing to follow.
        con.execute(
            "UPDATE articles SET story_id = sa.story_id FROM story_articles sa "
            "WHERE sa.url = articles.url AND sa.story_id IN (SELECT unnest(?::VARCHAR[])) AND articles.story_id <> sa.story_id",
            [touched],
        )
    refresh(con, touched)


def refresh(con: duckdb.DuckDBPyConnection, story_ids: list[str]) -> None:
    """Recompute the summary rows of `story_ids` from their pages."""
    con.execute(
        """
        INSERT OR REPLACE INTO stories
        WITH pages AS (SELECT * FROM story_articles WHERE story_id IN (SELECT unnest(?::VARCHAR[]))),
        heads AS (
            -- in language order, so the same pages give the same row whatever order they were decided in
            SELECT story_id, to_json(map_from_entries(list((language, title) ORDER BY language))) AS headlines
            FROM (
                SELECT story_id, language, arg_min(title, coalesce(published_at, linked_at)) AS title
                FROM pages WHERE title IS NOT NULL AND language IS NOT NULL GROUP BY ALL)
            GROUP BY story_id)
        SELECT p.story_id, CAST(min(p.published_at) AS DATE), min(p.published_at),
               arg_min(p.site, coalesce(p.published_at, p.linked_at)),
               list_sort(list(DISTINCT p.language) FILTER (p.language IS NOT NULL)),
               list_sort(list(DISTINCT p.site) FILTER (p.site IS NOT NULL)),
               count(*), any_value(h.headlines)
        FROM pages p LEFT JOIN heads h USING (story_id) GROUP BY p.story_id
        """,
        [story_ids],
    )


def resolve(con: duckdb.DuckDBPyConnection, story_id: str) -> str:
    """The current id of a story (an id merged away resolves to the story it merged into)."""
    row = con.execute("SELECT story_id FROM story_merges WHERE old_story_id = ?", [story_id]).fetchone()
    return row[0] if row else story_id


def list_stories(con: duckdb.DuckDBPyConnection, since: date | None = None) -> list[dict]:
    sql = "SELECT * FROM stories"
    params = []
    if since:
        sql += " WHERE event_day >= ?"
        params.append(since)
    cur = con.execute(sql + " ORDER BY first_seen NULLS LAST, story_id", params)
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]


def largest(con: duckdb.DuckDBPyConnection, limit: int = 10) -> list[dict]:
    """The stories with the most pages (the demo's summary)."""
    cur = con.execute(
        "SELECT story_id, event_day, first_outlet, article_count AS pages, languages FROM stories "
        "ORDER BY article_count DESC, first_seen, story_id LIMIT ?",
        [limit],
    )
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]


def timeline(con: duckdb.DuckDBPyConnection, story_id: str) -> list[dict]:
    cur = con.execute(
        "SELECT * FROM story_timeline WHERE story_id = ? ORDER BY first_at NULLS LAST, outlet",
        [resolve(con, story_id)],
    )
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]
