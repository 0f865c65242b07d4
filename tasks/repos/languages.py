"""Language and relevance-reason columns of loaded articles (migration 025), written in the load batch."""

from __future__ import annotations

from collections.abc import Sequence

import duckdb
from tasks.repos import bulk

_COLUMNS = ("article_id", "language_confidence", "language_method", "language_claimed", "relevance_reason")


def write(con: duckdb.DuckDBPyConnection, articles: Sequence) -> int:
    """Set the language columns of `articles` (ArticleRow) already inserted in this transaction."""
    rows = [{c: getattr(a, c, None) for c in _COLUMNS} for a in articles]
    return bulk.update(
        con,
        "articles",
        rows,
        key="article_id",
        set_sql=", ".join(f"{c} = b.{c}" for c in _COLUMNS[1:]),
        columns=_COLUMNS,
    )


def unknown_language_counts(con: duckdb.DuckDBPyConnection, run_id: str, configured: Sequence[str]) -> dict:
    """Articles of one run per language the topic does not configure: what the operator is missing."""
    rows = con.execute(
        "SELECT coalesce(language, 'und'), count(*) FROM articles WHERE last_run_id = ? "
        "AND coalesce(language, 'und') NOT IN (SELECT unnest(?)) GROUP BY 1 ORDER BY 2 DESC",
        [run_id, list(configured)],
    ).fetchall()
    return dict(rows)


def run_counts(con: duckdb.DuckDBPyConnection, run_id: str, topic) -> dict[str, int]:
    """Run-summary counts `language_unconfigured:<code>` for the articles of languages the topic lacks."""
    counts = unknown_language_counts(con, run_id, topic.languages)
    return {f"language_unconfigured:{language}": n for language, n in counts.items()}
