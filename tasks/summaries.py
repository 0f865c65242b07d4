"""Run summaries: the Markdown a backfill and a nightly attach to their Prefect flow runs (windows, sources,
failures; stages, drops, unreachable sources and the archive's coverage), and the errors that end a run
Failed when nothing could be done (`BackfillFailedError`, `NoSourceReachableError`)."""

from __future__ import annotations

from tasks.coverage import ReportData, gather
from tasks.report import markdown_cell, summary_markdown


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
        lines += [f"| {day} | {name} | {markdown_cell(error[:120])} |" for day, name, error in failures]
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
    lines += [f"| {markdown_cell(k)} | {v} |" for k, v in run.counts.items()]
    drops = dict(run.drops)
    if drops:
        lines += ["", "| dropped / failed because | count |", "|---|---|"]
        lines += [f"| {markdown_cell(k)} | {v} |" for k, v in sorted(drops.items())]
    unreachable = found.get("unreachable", {})
    checked = found.get("checked", [])
    lines += ["", f"**Sources:** {len(checked)} checked, {len(unreachable)} unreachable"]
    if unreachable:
        lines += ["", "| source | error |", "|---|---|"]
        lines += [
            f"| {markdown_cell(name)} | {markdown_cell(str(error)[:120])} |" for name, error in sorted(unreachable.items())
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
