"""The coverage report: one self-contained HTML file (inline SVG, no script, nothing fetched to open it).

Coverage per day by language and by outlet, the biggest stories' timelines (when the `stories` tables exist),
and source health, from the figures `tasks.coverage.gather` reads. `summary_markdown` gives the same figures
as Markdown for the nightly run's Prefect artifact.
"""

from __future__ import annotations

import html

import duckdb
from tasks.coverage import ReportData, gather

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


def markdown_cell(value) -> str:
    """A value fit for one cell of a Markdown table."""
    return str("" if value is None else value).replace("|", "\\|").replace("\n", " ")


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
            f"| {markdown_cell(str(s['title'] or s['story_id'])[:60])} | {s['articles']} | {s['languages']} | "
            f"{markdown_cell(s['first_site'])}, {str(s['first_at'])[:10]} |"
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

