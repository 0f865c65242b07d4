"""The coverage report: one self-contained HTML file (inline SVG, no script, nothing fetched to open it).

Coverage per day by language and by outlet, the biggest stories' timelines (when the `stories` tables exist),
and source health. `summary_markdown` gives the same figures as Markdown for the nightly run's Prefect artifact.
All reads are aggregates over indexed columns: one pass per chart, whatever the archive's size.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

import duckdb

PALETTE = [
    "#4e79a7",
    "#f28e2b",
    "#e15759",
    "#76b7b2",
    "#59a14f",
    "#edc948",
    "#b07aa1",
    "#ff9da7",
    "#9c755f",
    "#bab0ac",
]
TOP_OUTLETS = 12


@dataclass
class ReportData:
    since: date | None
    generated_at: datetime
    days: list[date] = field(default_factory=list)
    by_language: dict[str, dict[date, int]] = field(default_factory=dict)
    by_outlet: list[tuple[str, int, date | None, date | None]] = field(default_factory=list)
    stories: list[dict] | None = None  # None: no stories tables in this database
    sources: list[dict] = field(default_factory=list)
    total: int = 0


def _has_table(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    return bool(
        con.execute(
            "SELECT count(*) FROM duckdb_tables() WHERE database_name = current_database() "
            "AND schema_name = 'main' AND table_name = ?",
            [name],
        ).fetchone()[0]
    )


def gather(con: duckdb.DuckDBPyConnection, since: date | None = None) -> ReportData:
    data = ReportData(since=since, generated_at=datetime.now(UTC))
    where, params = ("WHERE published_at >= ?", [since]) if since else ("", [])
    day = "CAST(timezone('UTC', published_at) AS DATE)"
    rows = con.execute(
        f"SELECT d, lang, count(*) FROM (SELECT {day} AS d, coalesce(language, '?') AS lang FROM articles {where}) "
        "WHERE d IS NOT NULL GROUP BY d, lang ORDER BY d, lang",
        params,
    ).fetchall()
    for d, language, n in rows:
        data.by_language.setdefault(language, {})[d] = n
    data.days = sorted({d for d, _, _ in rows})
    data.total = con.execute(f"SELECT count(*) FROM articles {where}", params).fetchone()[0]
    data.by_outlet = con.execute(
        f"SELECT coalesce(site, '?'), count(*), min({day}), max({day}) FROM articles {where} "
        "GROUP BY 1 ORDER BY 2 DESC, 1",
        params,
    ).fetchall()
    if _has_table(con, "stories"):
        data.stories = _stories(con, since)
    data.sources = [
        dict(
            zip(
                (
                    "name",
                    "kind",
                    "language",
                    "last_checked_at",
                    "last_status",
                    "last_error",
                    "failures",
                    "articles",
                    "last_article",
                ),
                r,
                strict=True,
            )
        )
        for r in con.execute(
            """
            SELECT s.name, s.kind, s.language, s.last_checked_at, s.last_status, s.last_error, s.failures,
                   coalesce(a.n, 0), a.last
            FROM sources s LEFT JOIN (SELECT source, count(*) AS n, max(loaded_at) AS last FROM articles
                                      GROUP BY source) a ON a.source = s.name
            ORDER BY s.failures DESC, s.name
            """
        ).fetchall()
    ]
    return data


def _stories(con: duckdb.DuckDBPyConnection, since: date | None, limit: int = 8) -> list[dict]:
    """The biggest stories: articles per day and language, first outlet. Reads `articles.story_id`, and the
    `stories` table's label when it has one."""
    columns = {
        r[0]
        for r in con.execute(
            "SELECT column_name FROM duckdb_columns() WHERE schema_name = 'main' AND table_name = 'stories'"
        ).fetchall()
    }
    label = next((c for c in ("title", "label", "headline", "name") if c in columns), None)
    key = "story_id" if "story_id" in columns else None
    where, params = ("AND a.published_at >= ?", [since]) if since else ("", [])
    top = con.execute(
        f"""
        SELECT a.story_id, count(*) AS n, count(DISTINCT a.language) AS langs,
               arg_min(a.site, a.published_at) AS first_site, min(a.published_at) AS first_at,
               arg_min(a.title, a.published_at) AS first_title
        FROM articles a WHERE a.published_at IS NOT NULL {where}
        GROUP BY 1 HAVING count(*) > 1 ORDER BY n DESC, langs DESC, 1 LIMIT {limit}
        """,
        params,
    ).fetchall()
    out = []
    for story_id, n, langs, first_site, first_at, first_title in top:
        name = first_title
        if label and key:
            found = con.execute(f"SELECT {label} FROM stories WHERE {key} = ?", [story_id]).fetchone()
            name = found[0] if found and found[0] else first_title
        elif "headlines" in columns and key:  # language -> earliest headline: English if there is one
            found = con.execute("SELECT headlines FROM stories WHERE story_id = ?", [story_id]).fetchone()
            headlines = json.loads(found[0]) if found and found[0] else {}
            name = headlines.get("en") or next(iter(headlines.values()), None) or first_title
        spread = con.execute(
            "SELECT language, CAST(timezone('UTC', min(published_at)) AS DATE), count(*) FROM articles "
            "WHERE story_id = ? GROUP BY 1 ORDER BY 2, 1",
            [story_id],
        ).fetchall()
        out.append(
            {
                "story_id": story_id,
                "title": name,
                "articles": n,
                "languages": langs,
                "first_site": first_site,
                "first_at": first_at,
                "spread": spread,
            }
        )
    return out


# --- HTML ------------------------------------------------------------------------------------------------------


def _e(value) -> str:
    return html.escape("" if value is None else str(value))


def _colours(languages: list[str]) -> dict[str, str]:
    return {lang: PALETTE[i % len(PALETTE)] for i, lang in enumerate(sorted(languages))}


def _coverage_svg(data: ReportData) -> str:
    if not data.days:
        return '<p class="empty">No dated articles.</p>'
    colours = _colours(list(data.by_language))
    days = data.days
    totals = {d: sum(data.by_language[lang].get(d, 0) for lang in data.by_language) for d in days}
    peak = max(totals.values()) or 1
    width, height, left, bottom = 900, 260, 40, 40
    step = (width - left - 10) / len(days)
    bar = max(step * 0.8, 1)
    parts = [
        f'<svg id="coverage-by-language" class="chart" viewBox="0 0 {width} {height + 30}" '
        f'width="{width}" height="{height + 30}" role="img" aria-label="articles per day by language">'
    ]
    plot = height - bottom
    parts.append(f'<line x1="{left}" y1="{plot}" x2="{width - 10}" y2="{plot}" stroke="#888"/>')
    parts.append(f'<text x="{left - 4}" y="12" text-anchor="end" font-size="11">{peak}</text>')
    for i, d in enumerate(days):
        x = left + i * step
        y = plot
        for lang in sorted(data.by_language):
            n = data.by_language[lang].get(d, 0)
            if not n:
                continue
            h = n / peak * (plot - 10)
            y -= h
            parts.append(
                f'<rect class="bar" x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{h:.1f}" '
                f'fill="{colours[lang]}" data-day="{d}" data-language="{_e(lang)}" data-count="{n}">'
                f"<title>{d} {_e(lang)}: {n}</title></rect>"
            )
        if len(days) <= 16 or i % max(1, len(days) // 12) == 0:
            parts.append(
                f'<text x="{x + bar / 2:.1f}" y="{plot + 14}" font-size="10" text-anchor="middle">'
                f"{d.strftime('%m-%d')}</text>"
            )
    for i, lang in enumerate(sorted(data.by_language)):
        x = left + i * 70
        parts.append(
            f'<rect x="{x}" y="{height + 8}" width="12" height="12" fill="{colours[lang]}"/>'
            f'<text x="{x + 16}" y="{height + 18}" font-size="12">{_e(lang)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _outlets_svg(data: ReportData) -> str:
    outlets = data.by_outlet[:TOP_OUTLETS]
    if not outlets:
        return '<p class="empty">No articles.</p>'
    peak = max(n for _, n, _, _ in outlets) or 1
    row, left, width = 22, 220, 900
    parts = [
        f'<svg id="coverage-by-outlet" class="chart" viewBox="0 0 {width} {row * len(outlets) + 10}" '
        f'width="{width}" height="{row * len(outlets) + 10}" role="img" aria-label="articles per outlet">'
    ]
    for i, (site, n, first, last) in enumerate(outlets):
        y = 5 + i * row
        w = n / peak * (width - left - 60)
        parts.append(
            f'<text x="{left - 6}" y="{y + 14}" font-size="12" text-anchor="end">{_e(site)}</text>'
            f'<rect class="bar" x="{left}" y="{y}" width="{w:.1f}" height="{row - 6}" fill="#4e79a7" '
            f'data-outlet="{_e(site)}" data-count="{n}"><title>{_e(site)}: {n} ({first} .. {last})'
            f"</title></rect>"
            f'<text x="{left + w + 4:.1f}" y="{y + 14}" font-size="12">{n}</text>'
        )
    parts.append("</svg>")
    if len(data.by_outlet) > TOP_OUTLETS:
        parts.append(f"<p>{len(data.by_outlet) - TOP_OUTLETS} more outlets not drawn.</p>")
    return "".join(parts)


def _stories_html(data: ReportData) -> str:
    if data.stories is None:
        return '<p class="empty" id="no-stories">No stories yet (this database has no <code>stories</code> table).</p>'
    if not data.stories:
        return '<p class="empty" id="no-stories">No story has more than one article yet.</p>'
    colours = _colours(sorted({lang for s in data.stories for lang, _, _ in s["spread"]}))
    all_days = [d for s in data.stories for _, d, _ in s["spread"]]
    first, last = min(all_days), max(all_days)
    span = max((last - first).days, 1)
    left, width, row = 10, 880, 26
    out = []
    for s in data.stories:
        out.append(
            f"<h3>{_e(s['title'])}</h3><p>{s['articles']} articles, {s['languages']} languages; first: "
            f"{_e(s['first_site'])} on {str(s['first_at'])[:10]}</p>"
        )
        out.append(
            f'<svg class="chart story" data-story="{_e(s["story_id"])}" viewBox="0 0 {width + 20} {row}" '
            f'width="{width + 20}" height="{row}">'
        )
        out.append(f'<line x1="{left}" y1="{row / 2}" x2="{left + width}" y2="{row / 2}" stroke="#ccc"/>')
        for lang, d, n in s["spread"]:
            x = left + (d - first).days / span * width
            out.append(
                f'<circle class="mark" cx="{x:.1f}" cy="{row / 2}" r="{min(4 + n, 11)}" '
                f'fill="{colours[lang]}" data-language="{_e(lang)}" data-count="{n}">'
                f"<title>{_e(lang)} from {d}: {n}</title></circle>"
            )
        out.append("</svg>")
    return "".join(out)


def _sources_html(data: ReportData) -> str:
    if not data.sources:
        return '<p class="empty">No source has been checked yet.</p>'
    rows = "".join(
        f'<tr class="{"failing" if s["failures"] else "ok"}"><td>{_e(s["name"])}</td><td>{_e(s["kind"])}</td>'
        f"<td>{_e(s['language'])}</td><td>{_e(str(s['last_checked_at'] or '')[:16])}</td>"
        f"<td>{_e(s['last_status'])}</td><td>{s['failures']}</td><td>{s['articles']}</td>"
        f"<td>{_e(str(s['last_article'] or '')[:16])}</td><td>{_e((s['last_error'] or '')[:120])}</td></tr>"
        for s in data.sources
    )
    return (
        '<table id="source-health"><thead><tr><th>source</th><th>kind</th><th>lang</th><th>last checked</th>'
        "<th>status</th><th>failures in a row</th><th>articles</th><th>last article loaded</th><th>last error"
        f"</th></tr></thead><tbody>{rows}</tbody></table>"
    )


def render_html(data: ReportData) -> str:
    since = f" since {data.since}" if data.since else ""
    langs = ", ".join(f"{lang} {sum(v.values())}" for lang, v in sorted(data.by_language.items()))
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>newsmon coverage report</title>
<style>
body {{ font-family: sans-serif; margin: 2em; color: #222; max-width: 960px; }}
h1 {{ font-size: 1.5em; }} h2 {{ border-bottom: 1px solid #ddd; margin-top: 2em; }} h3 {{ font-size: 1em; margin: 1em 0 0; }}
table {{ border-collapse: collapse; font-size: 13px; }} td, th {{ border: 1px solid #ddd; padding: 2px 6px; }}
tr.failing td {{ background: #fde8e8; }} .empty {{ color: #777; }}
</style></head><body>
<h1>newsmon coverage report{_e(since)}</h1>
<p>{data.total} articles ({_e(langs)}); generated {data.generated_at:%Y-%m-%d %H:%M} UTC. Days are UTC.</p>
<h2>Coverage per day, by language</h2>
{_coverage_svg(data)}
<h2>Coverage by outlet</h2>
{_outlets_svg(data)}
<h2>Biggest stories</h2>
{_stories_html(data)}
<h2>Source health</h2>
{_sources_html(data)}
</body></html>
"""


def summary_markdown(data: ReportData, db_path: str | None = None) -> str:
    """The same figures as narrow Markdown tables, for a Prefect artifact."""
    lines = [
        f"**{data.total} articles**" + (f" in `{db_path}`" if db_path else ""),
        "",
        "| language | articles | last day |",
        "|---|---|---|",
    ]
    for lang, per_day in sorted(data.by_language.items()):
        lines.append(f"| {lang} | {sum(per_day.values())} | {max(per_day) if per_day else ''} |")
    lines += ["", "| outlet | articles |", "|---|---|"]
    lines += [f"| {site} | {n} |" for site, n, _, _ in data.by_outlet[:TOP_OUTLETS]]
    failing = [s for s in data.sources if s["failures"]]
    lines += ["", f"**Sources failing:** {len(failing)} of {len(data.sources)}", ""]
    if failing:
        lines += ["| source | failures | last error |", "|---|---|---|"]
        lines += [f"| {s['name']} | {s['failures']} | {(s['last_error'] or '')[:60]} |" for s in failing]
    if not data.stories:
        lines += ["", "No stories yet."]
    else:
        lines += ["", "| story | articles | languages | first outlet, day |", "|---|---|---|---|"]
        lines += [
            f"| {_cell(str(s['title'] or s['story_id'])[:60])} | {s['articles']} | {s['languages']} | "
            f"{_cell(s['first_site'])}, {str(s['first_at'])[:10]} |"
            for s in data.stories
        ]
    return "\n".join(lines) + "\n"


def publish_artifact(con: duckdb.DuckDBPyConnection, db_path: str | None = None) -> None:
    """Attach the summary to the current Prefect flow run (a no-op outside one)."""
    from prefect.artifacts import create_markdown_artifact

    create_markdown_artifact(
        key="coverage-summary",
        markdown=summary_markdown(gather(con), db_path),
        description="newsmon coverage",
    )


# --- run summaries ---------------------------------------------------------------------------------------------


class BackfillFailedError(RuntimeError):
    """No window of a backfill could be finished: every one had a failed source. Nothing was marked done."""


def backfill_failures(rows: list) -> list[str]:
    """`YYYY-MM-DD: source (error), ...` for each window a source failed in."""
    out = []
    for window, status, found, _ in rows:
        if status == "failed":
            causes = ", ".join(f"{name} ({error[:80]})" for name, error in sorted(found["failed"].items()))
            out.append(f"{window.start:%Y-%m-%d}: {causes}")
    return out


def _cell(value) -> str:
    return str("" if value is None else value).replace("|", "\\|").replace("\n", " ")


def backfill_summary_markdown(start, end, params: dict, totals: dict, rows: list, db_path: str) -> str:
    """Narrow tables that fit the Prefect UI: windows, then candidates per source, then every failure."""
    lines = [
        f"# Backfill {start} .. {end}",
        "",
        f"Database: `{db_path}`",
        "",
        f"Sources: {', '.join(params['sources'])}; languages: {', '.join(params['languages']) or 'all'}; "
        f"refetch: {params['refetch']}; dry run: {params['dry_run']}",
        "",
        "| window | status | candidates | new URLs | loaded |",
        "|---|---|---|---|---|",
    ]
    per_source: dict[str, int] = {}
    failures: list[tuple[str, str, str]] = []
    retried: list[str] = []
    for window, status, found, work in rows:
        lines.append(
            f"| {window.start:%Y-%m-%d} | {status} | {len(found.get('urls', []))} | "
            f"{found.get('new_urls', '')} | {work.get('status:loaded', '')} |"
        )
        if found.get("answered_earlier"):
            retried.append(f"{window.start:%Y-%m-%d}")
        for name, n in found.get("per_source", {}).items():
            per_source[name] = per_source.get(name, 0) + n
        for name, error in sorted(found.get("failed", {}).items()):
            failures.append((f"{window.start:%Y-%m-%d}", name, error))
    if per_source:
        lines += ["", "| source | candidates |", "|---|---|"]
        lines += [f"| {name} | {n} |" for name, n in sorted(per_source.items())]
    if failures:
        lines += [
            "",
            f"**{len({f[0] for f in failures})} window(s) unfinished** (the next backfill asks their failed "
            "sources again):",
            "",
            "| window | source | error |",
            "|---|---|---|",
        ]
        lines += [f"| {day} | {name} | {_cell(error[:120])} |" for day, name, error in failures]
    if retried:
        lines += ["", "Windows retried, asking only the sources that had failed: " + ", ".join(retried)]
    lines += ["", "Totals: " + ", ".join(f"{k} {v}" for k, v in totals.items())]
    return "\n".join(lines)


class NoSourceReachableError(RuntimeError):
    """A nightly run in which no source answered (no network?): it ends Failed, like `newsmon run` exits 2."""


def nightly_summary_markdown(run, found: dict, coverage: ReportData) -> str:
    """Per stage, per source (every failure with its reason) and per language, and the database path."""
    db_path = str(run.store.path)
    lines = [
        f"# Nightly run {run.run_id}",
        "",
        f"Database: `{db_path}`",
        "",
        "| stage | count |",
        "|---|---|",
    ]
    lines += [f"| {_cell(k)} | {v} |" for k, v in run.counts.items()]
    drops = dict(run.drops)
    if drops:
        lines += ["", "| dropped / failed because | count |", "|---|---|"]
        lines += [f"| {_cell(k)} | {v} |" for k, v in sorted(drops.items())]
    unreachable = found.get("unreachable", {})
    checked = found.get("checked", [])
    lines += ["", f"**Sources:** {len(checked)} checked, {len(unreachable)} unreachable"]
    if unreachable:
        lines += ["", "| source | error |", "|---|---|"]
        lines += [
            f"| {_cell(name)} | {_cell(str(error)[:120])} |" for name, error in sorted(unreachable.items())
        ]
    lines += ["", "## Archive", "", summary_markdown(coverage, db_path)]
    return "\n".join(lines)


def publish_nightly_summary(run, found: dict, fail_when_unreachable: bool = True) -> None:
    """Attach the run's summary to its Prefect flow run; raise when no source could be reached."""
    from prefect.artifacts import create_markdown_artifact

    with run.store.connect() as con:
        coverage = gather(con)
    create_markdown_artifact(
        key="nightly-summary",
        markdown=nightly_summary_markdown(run, found, coverage),
        description=f"nightly run {run.run_id}",
    )
    checked, unreachable = found.get("checked", []), found.get("unreachable", {})
    if fail_when_unreachable and checked and len(unreachable) == len(checked):
        names = ", ".join(sorted(unreachable)[:5])
        raise NoSourceReachableError(
            f"no source could be reached ({len(unreachable)}: {names}...); is the network up?"
        )
