"""Learned site templates: numbered versions (`template_versions`, `site_templates`), the lines of every decided
page (`page_lines`) and the counts learning is made from, kept up to date by every batch load.

`record_pages` runs inside each batch's load: it withdraws what the batch's pages counted before (a page decided
again) and adds what they count now, and marks their sites dirty. `learn` then reads only dirty sites' counts, so
its cost follows what changed, not the archive. The rule itself is `tasks.templates`; `learn_templates` over all
stored pages gives the same result (a test checks it).
"""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime

import duckdb
from tasks.models import PageLinesRow
from tasks.process import Templates
from tasks.repos import bulk
from tasks.templates import PageLines, TemplateSettings, counted_line_keys

NO_DAY = date(1, 1, 1)  # a page without a publication day: one "day" of its own, as in tasks.templates
PAGE_COLUMNS = ("url", "site", "day", "relevant", "title", "lines")


def _counted_rows(pages: list[PageLines], settings: TemplateSettings) -> list[dict]:
    return [
        {
            "url": p.url,
            "site": p.site,
            "day": p.day or NO_DAY,
            "relevant": p.relevant,
            "line_key": k,
            "spelling": s,
        }
        for p in pages
        for k, s in counted_line_keys(p, settings).items()
    ]


def _withdraw(con: duckdb.DuckDBPyConnection, urls_view: str) -> None:
    """Take back what the pages in `urls_view` (a relation with a `url` column) counted."""
    con.execute(
        "UPDATE template_line_counts c SET pages = c.pages - d.n, on_pages = c.on_pages - d.on_n FROM "
        "(SELECT site, line_key, count(*) AS n, count(*) FILTER (WHERE relevant) AS on_n FROM template_page_lines "
        f"WHERE url IN (SELECT url FROM {urls_view}) GROUP BY ALL) d WHERE c.site = d.site AND c.line_key = d.line_key"
    )
    con.execute(
        "UPDATE template_line_days c SET pages = c.pages - d.n FROM "
        "(SELECT site, line_key, day, count(*) AS n FROM template_page_lines "
        f"WHERE url IN (SELECT url FROM {urls_view}) GROUP BY ALL) d "
        "WHERE c.site = d.site AND c.line_key = d.line_key AND c.day = d.day"
    )
    con.execute(
        "UPDATE template_sites s SET pages = s.pages - d.n, dirty = true FROM "
        f"(SELECT site, count(*) AS n FROM page_lines WHERE url IN (SELECT url FROM {urls_view}) GROUP BY site) d "
        "WHERE s.site = d.site"
    )
    con.execute(f"DELETE FROM template_page_lines WHERE url IN (SELECT url FROM {urls_view})")
    con.execute("DELETE FROM template_line_counts WHERE pages <= 0")
    con.execute("DELETE FROM template_line_days WHERE pages <= 0")


def _add(con: duckdb.DuckDBPyConnection, pages: list[PageLines], settings: TemplateSettings) -> None:
    counted = _counted_rows(pages, settings)
    if counted:
        with bulk.registered(
            con, bulk.arrow_table(counted, ("url", "site", "day", "relevant", "line_key", "spelling"))
        ) as name:
            con.execute(
                f"INSERT INTO template_page_lines SELECT url, site, day, relevant, line_key, spelling FROM {name}"
            )
            con.execute(
                "INSERT INTO template_line_counts SELECT site, line_key, count(*), count(*) FILTER (WHERE relevant) "
                f"FROM {name} GROUP BY ALL ON CONFLICT DO UPDATE SET pages = template_line_counts.pages + excluded.pages, "
                "on_pages = template_line_counts.on_pages + excluded.on_pages"
            )
            con.execute(
                f"INSERT INTO template_line_days SELECT site, line_key, day, count(*) FROM {name} GROUP BY ALL "
                "ON CONFLICT DO UPDATE SET pages = template_line_days.pages + excluded.pages"
            )
    sites: dict[str, int] = {}
    for p in pages:
        sites[p.site] = sites.get(p.site, 0) + 1
    latest = con.execute("SELECT coalesce(max(version), 0) FROM template_versions").fetchone()[0]
    bulk.insert(
        con,
        "template_sites",
        # a site seen for the first time had its pages decided with the latest version
        [{"site": s, "pages": n, "dirty": True, "applied_version": latest} for s, n in sorted(sites.items())],
        ("site", "pages", "dirty", "applied_version"),
        on_conflict="ON CONFLICT DO UPDATE SET pages = template_sites.pages + excluded.pages, dirty = true",
    )


def record_pages(
    con: duckdb.DuckDBPyConnection, rows: list[PageLinesRow], settings: TemplateSettings
) -> None:
    """Store the batch's page lines and update the learning counts (inside the batch's transaction)."""
    if not rows:
        return
    rows = list({r.url: r for r in rows}.values())
    ensure_counts(con, settings)
    with bulk.registered(con, bulk.arrow_table([{"url": r.url} for r in rows], ("url",))) as batch:
        redone = bulk.stored(con, "page_lines", "url", [r.url for r in rows])  # looked up by key
        if redone:
            _withdraw(con, batch)  # some pages were decided before (a redo): take back what they counted
        bulk.insert(
            con,
            "page_lines",
            [{**r.__dict__, "lines": list(r.lines)} for r in rows],
            PAGE_COLUMNS,
            on_conflict="ON CONFLICT (url) DO UPDATE SET site = excluded.site, day = excluded.day, "
            "relevant = excluded.relevant, title = excluded.title, lines = excluded.lines"
            if redone
            else "",  # new pages only: nothing to check each row against
        )
    _add(con, [PageLines(r.site, r.url, r.day, r.relevant, r.title, tuple(r.lines)) for r in rows], settings)


def ensure_counts(con: duckdb.DuckDBPyConnection, settings: TemplateSettings) -> None:
    """Counts made with other thresholds (or none yet, e.g. a database from before they existed): recount."""
    spec = json.dumps(settings.__dict__, sort_keys=True)
    row = con.execute("SELECT settings FROM template_state WHERE id = 1").fetchone()
    if row and json.dumps(json.loads(row[0]), sort_keys=True) == spec:
        return
    for table in ("template_page_lines", "template_line_counts", "template_line_days", "template_sites"):
        con.execute(f"DELETE FROM {table}")
    con.execute(
        "INSERT INTO template_state VALUES (1, ?) ON CONFLICT DO UPDATE SET settings = excluded.settings",
        [spec],
    )
    offset, size = 0, 5000
    while True:
        chunk = con.execute(
            "SELECT site, url, day, relevant, title, lines FROM page_lines ORDER BY url LIMIT ? OFFSET ?",
            [size, offset],
        ).fetchall()
        if not chunk:
            break
        _add(con, [PageLines(s, u, d, r, t, tuple(lines)) for s, u, d, r, t, lines in chunk], settings)
        offset += size


def page_lines(con: duckdb.DuckDBPyConnection) -> list[PageLines]:
    rows = con.execute("SELECT site, url, day, relevant, title, lines FROM page_lines").fetchall()
    return [
        PageLines(site, url, day, relevant, title, tuple(lines))
        for site, url, day, relevant, title, lines in rows
    ]


def learn_dirty(
    con: duckdb.DuckDBPyConnection, settings: TemplateSettings
) -> tuple[dict[str, dict[str, str]], set[str]]:
    """Template lines of the sites whose pages changed since they were last learned: (site -> {key: example}, sites)."""
    ensure_counts(con, settings)
    dirty = {s for (s,) in con.execute("SELECT site FROM template_sites WHERE dirty").fetchall()}
    if not dirty:
        return {}, set()
    rows = con.execute(
        "WITH c AS (SELECT c.site, c.line_key, c.pages, c.on_pages, s.pages AS site_pages FROM template_line_counts c "
        "JOIN template_sites s USING (site) WHERE s.dirty AND c.pages >= ?), "
        "d AS (SELECT site, line_key, count(*) AS days FROM template_line_days "
        "WHERE (site, line_key) IN (SELECT (site, line_key) FROM c) GROUP BY ALL), "
        "t AS (SELECT c.site, c.line_key FROM c JOIN d USING (site, line_key) WHERE d.days >= ? AND "
        "((c.on_pages > 0 AND c.on_pages < c.pages) OR (c.pages >= ? AND c.pages::DOUBLE / c.site_pages >= ?))) "
        "SELECT p.site, p.line_key, min(p.spelling) FROM template_page_lines p "
        "WHERE p.site IN (SELECT site FROM t) AND (p.site, p.line_key) IN (SELECT (site, line_key) FROM t) "
        "GROUP BY ALL ORDER BY ALL",
        [settings.min_pages, settings.min_days, settings.min_share_pages, settings.min_share],
    ).fetchall()
    learned: dict[str, dict[str, str]] = {}
    for site, key, example in rows:
        learned.setdefault(site, {})[key] = example
    return learned, dirty


def mark_learned(con: duckdb.DuckDBPyConnection, sites: set[str]) -> None:
    if sites:
        con.execute(
            "UPDATE template_sites SET dirty = false WHERE site IN (SELECT unnest(?::VARCHAR[]))",
            [sorted(sites)],
        )


def templates(con: duckdb.DuckDBPyConnection, version: int | None = None, lead_lines: int = 2) -> Templates:
    """A stored version of the site templates (default: the latest; 0 or none stored: no templates)."""
    if version is None:
        version = con.execute("SELECT coalesce(max(version), 0) FROM template_versions").fetchone()[0]
    elif (
        version and not con.execute("SELECT 1 FROM template_versions WHERE version = ?", [version]).fetchone()
    ):
        raise ValueError(f"no site-template version {version} in this database")
    rows = con.execute("SELECT site, line_key FROM site_templates WHERE version = ?", [version]).fetchall()
    sites: dict[str, set[str]] = {}
    for site, key in rows:
        sites.setdefault(site, set()).add(key)
    return Templates(version, {site: frozenset(keys) for site, keys in sites.items()}, lead_lines)


def _examples(con: duckdb.DuckDBPyConnection, version: int) -> dict[str, dict[str, str]]:
    rows = con.execute(
        "SELECT site, line_key, example FROM site_templates WHERE version = ?", [version]
    ).fetchall()
    out: dict[str, dict[str, str]] = {}
    for site, key, example in rows:
        out.setdefault(site, {})[key] = example
    return out


def digest(learned: dict[str, dict[str, str]]) -> str:
    return hashlib.sha256(json.dumps(learned, sort_keys=True).encode("utf-8")).hexdigest()


def save_version(
    con: duckdb.DuckDBPyConnection,
    learned_dirty: dict[str, dict[str, str]],
    dirty: set[str],
    settings: dict,
    run_id: str,
    at: datetime,
) -> tuple[int, set[str]]:
    """The latest version with the dirty sites' templates replaced by `learned_dirty`; a new version when that
    changes anything. Returns (latest version, sites whose templates changed)."""
    latest = con.execute("SELECT coalesce(max(version), 0) FROM template_versions").fetchone()[0]
    current = _examples(con, latest) if latest else {}
    learned = {s: lines for s, lines in current.items() if s not in dirty}
    learned.update({s: dict(sorted(lines.items())) for s, lines in learned_dirty.items() if lines})
    learned = dict(sorted(learned.items()))
    changed = {
        s for s in learned.keys() | current.keys() if set(learned.get(s, {})) != set(current.get(s, {}))
    }
    if not changed:
        return latest, set()
    version = latest + 1
    con.execute(
        "INSERT INTO template_versions VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            version,
            at,
            run_id,
            json.dumps(settings),
            len(learned),
            sum(map(len, learned.values())),
            digest(learned),
        ],
    )
    bulk.insert(
        con,
        "site_templates",
        [
            {"version": version, "site": s, "line_key": k, "example": e}
            for s, lines in learned.items()
            for k, e in lines.items()
        ],
        ("version", "site", "line_key", "example"),
    )
    return version, changed


def stale_sites(con: duckdb.DuckDBPyConnection, version: int) -> set[str]:
    """Sites whose pages were decided with template lines other than `version`'s: their pages must be redone.

    Kept in the database, so a run killed between saving a version and redoing its pages is finished by the next.
    """
    rows = con.execute(
        "SELECT s.site FROM template_sites s WHERE s.applied_version <> ? AND EXISTS ("
        "(SELECT line_key FROM site_templates WHERE version = s.applied_version AND site = s.site "
        " EXCEPT SELECT line_key FROM site_templates WHERE version = ? AND site = s.site) UNION ALL "
        "(SELECT line_key FROM site_templates WHERE version = ? AND site = s.site "
        " EXCEPT SELECT line_key FROM site_templates WHERE version = s.applied_version AND site = s.site))",
        [version, version, version],
    ).fetchall()
    return {s for (s,) in rows}


def mark_applied(con: duckdb.DuckDBPyConnection, version: int) -> None:
    """Record that every site's decided pages are now decided with `version` (its stale sites were redone)."""
    con.execute(
        "UPDATE template_sites SET applied_version = ? WHERE applied_version <> ?", [version, version]
    )
