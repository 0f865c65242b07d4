"""Per-site template state (table site_template_state): the version each site's pages were last redone with.

Learning stores a new template version in one transaction and redoing the pages it changes takes more; a run
killed in between must not leave those pages behind. So the sites to redo are not "what the last learning step
changed" but every site whose lines in the latest version differ from the lines of the version its pages were
last redone with; a site is marked redone only after all its pages are.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import duckdb
from tasks.repos import bulk


def sites_to_redo(con: duckdb.DuckDBPyConnection, version: int) -> list[str]:
    """Sites whose template lines at `version` differ from those their pages were last redone with."""
    rows = con.execute(
        """
        WITH sites AS (
            SELECT DISTINCT site FROM site_templates WHERE version = $v
            UNION SELECT site FROM site_template_state
        ),
        base AS (
            SELECT s.site, coalesce(t.redone_version, 0) AS b
            FROM sites s LEFT JOIN site_template_state t USING (site)
        ),
        cur AS (SELECT site, list_sort(list(line_key)) AS k FROM site_templates WHERE version = $v GROUP BY site),
        old AS (
            SELECT st.site, list_sort(list(st.line_key)) AS k
            FROM site_templates st JOIN base ON st.site = base.site AND st.version = base.b GROUP BY st.site
        )
        SELECT base.site FROM base LEFT JOIN cur USING (site) LEFT JOIN old USING (site)
        WHERE base.b <> $v AND cur.k IS DISTINCT FROM old.k
        ORDER BY base.site
        """,
        {"v": version},
    ).fetchall()
    return [site for (site,) in rows]


def mark_redone(
    con: duckdb.DuckDBPyConnection, sites: Sequence[str], version: int, run_id: str, at: datetime
) -> int:
    rows = [{"site": s, "redone_version": version, "redone_at": at, "run_id": run_id} for s in sites]
    return bulk.insert(
        con,
        "site_template_state",
        rows,
        ("site", "redone_version", "redone_at", "run_id"),
        on_conflict="ON CONFLICT (site) DO UPDATE SET redone_version = excluded.redone_version, "
        "redone_at = excluded.redone_at, run_id = excluded.run_id",
    )
