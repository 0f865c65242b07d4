"""Read-only summaries of what a database holds, for the demo's and the CLI's printed reports."""

from __future__ import annotations

import duckdb


def _dicts(con: duckdb.DuckDBPyConnection, sql: str) -> list[dict]:
    cur = con.execute(sql)
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]


def breakdowns(con: duckdb.DuckDBPyConnection) -> dict[str, list[dict]]:
    """URLs per source and outcome; articles per language; articles the search sources found, per language."""
    return {
        "URLs per source and outcome": _dicts(
            con,
            "SELECT discovered_by AS source, count(*) FILTER (status = 'loaded') AS loaded, "
            "count(*) FILTER (status = 'duplicate') AS duplicate, count(*) FILTER (status = 'irrelevant') AS irrelevant, "
            "count(*) FILTER (status LIKE 'failed%') AS failed, count(*) AS urls FROM urls GROUP BY 1 ORDER BY 1",
        ),
        "articles per language": _dicts(
            con,
            "SELECT language, count(*) AS articles, count(DISTINCT site) AS sites FROM articles GROUP BY 1 "
            "ORDER BY 2 DESC, 1",
        ),
        "articles found by search sources, per language": _dicts(
            con,
            "WITH found AS (SELECT u.url, bool_and(s.kind IN ('gnews', 'gdelt', 'gkg', 'cdx')) AS only_search, "
            "string_agg(DISTINCT u.source, ', ' ORDER BY u.source) FILTER (s.kind IN ('gnews', 'gdelt', 'gkg', 'cdx')) "
            "AS search_sources FROM url_sources u JOIN sources s ON s.name = u.source GROUP BY u.url) "
            "SELECT a.language, count(*) AS articles, count(*) FILTER (f.only_search) AS only_by_search, "
            "string_agg(DISTINCT f.search_sources, ' | ') AS found_by FROM articles a "
            "JOIN found f ON f.url = a.canonical_url WHERE f.search_sources IS NOT NULL GROUP BY 1 ORDER BY 1",
        ),
    }
