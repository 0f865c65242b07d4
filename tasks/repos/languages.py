"""Language and relevance-reason columns of loaded articles (migration 025): written with the article row
(`tasks/repos/articles.py`), counted here for the run summary."""

from __future__ import annotations

from collections.abc import Sequence

import duckdb


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
