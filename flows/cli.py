"""The `newsmon` command: run the pipeline, run the offline demo, query the database."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

app = typer.Typer(
    add_completion=False, no_args_is_help=True, help="newsmon: multilingual news monitoring into DuckDB."
)
console = Console()

DbOption = typer.Option(None, "--db", help="DuckDB file (default: the configured database).")


def _quiet_prefect() -> None:
    # flows run from the shell use a temporary local Prefect server unless PREFECT_API_URL points at one
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")


@app.command()
def run(
    db: Path = DbOption,
    sources: Path = typer.Option(None, "--sources", help="Sources TOML (default: config/sources.toml)."),
    settings: Path = typer.Option(None, "--settings", help="Settings TOML (default: config/newsmon.toml)."),
) -> None:
    """Run the nightly pipeline against the configured real sources."""
    _quiet_prefect()
    from flows.nightly import nightly

    summary = nightly(
        db_path=str(db) if db else None,
        sources_file=str(sources) if sources else None,
        settings_file=str(settings) if settings else None,
    )
    print_summary(summary)
    unreachable = summary["unreachable"]
    if unreachable:
        console.print(f"[yellow]{len(unreachable)} source(s) unreachable:[/yellow]")
        for name, error in sorted(unreachable.items()):
            console.print(f"  {name}: {error}")
        total = len(summary["sources"])
        if len(unreachable) == total:
            console.print(
                "[red]No source could be reached (is the network up?). Nothing new was discovered.[/red]"
            )
            raise typer.Exit(code=2)


@app.command()
def demo(
    db: Path = typer.Option(
        Path("duckdb/demo.duckdb"), "--db", help="DuckDB file for the demo (never the real one)."
    ),
    fresh: bool = typer.Option(False, "--fresh", help="Delete the demo database first."),
) -> None:
    """Run the same pipeline offline against the bundled simulated web of publishers."""
    _quiet_prefect()
    from flows.demo import print_next_steps, run_demo

    summary = run_demo(db, fresh=fresh, console=console)
    print_summary(summary)
    print_next_steps(summary, console)


@app.command()
def backfill(
    start: str = typer.Option(..., "--start", help="First day, YYYY-MM-DD (UTC, included)."),
    end: str = typer.Option(..., "--end", help="Last day, YYYY-MM-DD (UTC, included)."),
    source: list[str] = typer.Option(None, "--source", help="A source name (repeat; default: all)."),
    language: list[str] = typer.Option(None, "--language", help="A language code (repeat; default: all)."),
    refetch: bool = typer.Option(False, "--refetch", help="Fetch known URLs again."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Only discover; write nothing."),
    demo: bool = typer.Option(
        False, "--demo", help="Against the simulated web and its emulated search services."
    ),
    db: Path = DbOption,
) -> None:
    """Fetch the story's coverage for a date range, window by window (resumable)."""
    from datetime import date

    _quiet_prefect()
    try:
        first, last = date.fromisoformat(start), date.fromisoformat(end)
    except ValueError as exc:
        console.print(f"[red]bad date: {exc} (use YYYY-MM-DD)[/red]")
        raise typer.Exit(code=2) from None
    if demo:
        from flows.demo import run_demo_backfill

        summary = run_demo_backfill(
            db or Path("duckdb/demo-backfill.duckdb"),
            first,
            last,
            sources=source or None,
            languages=language or None,
            refetch=refetch,
            dry_run=dry_run,
        )
    else:
        from flows.backfill import BackfillRequestError
        from flows.backfill import backfill as backfill_flow

        try:
            summary = backfill_flow(
                start=first,
                end=last,
                sources=source or None,
                languages=language or None,
                refetch=refetch,
                dry_run=dry_run,
                db_path=str(db) if db else None,
            )
        except BackfillRequestError as exc:
            console.print(f"[red]{exc}[/red]")
            raise typer.Exit(code=2) from None
    table = Table("count", "value", title=f"backfill {first}..{last} ({summary['run_id']})")
    for key, value in summary["counts"].items():
        table.add_row(key, str(value))
    console.print(table)


@app.command()
def reprocess(
    start: str = typer.Option(None, "--start", help="First publication day, YYYY-MM-DD (UTC, included)."),
    end: str = typer.Option(None, "--end", help="Last publication day, YYYY-MM-DD (UTC, included)."),
    site: str = typer.Option(None, "--site", help="Only this site (name or host[:port])."),
    template_version: int = typer.Option(None, "--template-version", help="Site-template version (0: none)."),
    rules_dir: Path = typer.Option(None, "--rules-dir", help="Boilerplate rules directory."),
    db: Path = DbOption,
) -> None:
    """Rebuild stored articles from their raw HTML with the current rules (no fetching)."""
    from datetime import date

    _quiet_prefect()
    from flows.reprocess import reprocess as reprocess_flow

    try:
        first = date.fromisoformat(start) if start else None
        last = date.fromisoformat(end) if end else None
    except ValueError as exc:
        console.print(f"[red]bad date: {exc} (use YYYY-MM-DD)[/red]")
        raise typer.Exit(code=2) from None
    summary = reprocess_flow(
        start=first,
        end=last,
        site=site,
        template_version=template_version,
        rules_dir=str(rules_dir) if rules_dir else None,
        db_path=str(db) if db else None,
    )
    table = Table("count", "value", title=f"reprocess ({summary['run_id']})")
    for key, value in summary["counts"].items():
        table.add_row(key, str(value))
    console.print(table)


@app.command()
def query(
    sql: str = typer.Argument(..., help="SQL to run (read-only)."),
    db: Path = DbOption,
    limit: int = typer.Option(50, help="Rows to print at most."),
) -> None:
    """Run SQL on the database (by default the analysts' snapshot, so a running pipeline is never blocked)."""
    from tasks import db as database
    from tasks.config import load_settings

    path = db or _default_query_db(load_settings())
    if not path.exists():
        console.print(f"[red]{path} does not exist: run `newsmon run` or `newsmon demo` first.[/red]")
        raise typer.Exit(code=1)
    import duckdb

    with database.connect(path, read_only=True, lock_timeout=10) as con:
        database.load_fts(con)
        try:
            cursor = con.execute(sql)
        except duckdb.Error as exc:
            console.print(f"[red]{type(exc).__name__}: {exc}[/red]")
            raise typer.Exit(code=1) from None
        columns = [d[0] for d in cursor.description or []]
        rows = cursor.fetchmany(limit + 1)
    table = Table(*columns, show_lines=False)
    for row in rows[:limit]:
        table.add_row(*[_cell(v) for v in row])
    console.print(table)
    if len(rows) > limit:
        console.print(f"(first {limit} rows; use --limit)")


@app.command()
def extract(
    targets: list[str] = typer.Argument(..., help="Saved HTML files and/or URLs."),
    as_json: bool = typer.Option(False, "--json", help="One JSON line per page."),
) -> None:
    """Extract and clean pages without storing anything: title, date, language, relevance, text, removed snippets."""
    from flows.inspect_pages import report_json_lines, report_paths_and_urls
    from tasks.config import load_settings
    from tasks.relevance import load_topic
    from tasks.stages import fetch_policy

    settings = load_settings()
    reports = report_paths_and_urls(
        targets, load_topic(settings.resolve(settings.topic.path)), fetch_policy(settings)
    )
    if as_json:
        typer.echo(report_json_lines(reports))
    else:
        for report in reports:
            _print_report(report.as_json())
    if any(r.error for r in reports):
        raise typer.Exit(code=1)


def _print_report(page: dict) -> None:
    where = page.get("path") or page.get("url")
    console.rule(f"[bold]{where}")
    if "error" in page:
        console.print(f"[red]error: {page['error']}[/red]")
        return
    console.print(
        f"title: {page['title']}\npublished: {page['published']}\nlanguage: {page['language']}\n"
        f"relevance: {page['relevance']} ({'relevant' if page['relevant'] else 'not relevant'}) "
        f"{page['matched']}"
    )
    console.print(page["text"], markup=False, highlight=False, soft_wrap=True)
    for cut in page["removed"]:
        rule = escape("[" + cut["rule"] + "]")
        console.print(f"[red]- line {cut['position']} {rule}[/red] ", end="")
        console.print(cut["snippet"], markup=False, highlight=False, soft_wrap=True)


@app.command()
def explain(
    url: str = typer.Argument(..., help="Article URL (as fetched or canonical)."), db: Path = DbOption
) -> None:
    """Show a stored article line by line, with the removed lines marked and the rule that removed each."""
    from flows.inspect_pages import explain_article
    from tasks.config import load_settings
    from tasks.store import Store

    settings = load_settings()
    path = db or _default_query_db(settings)
    found = explain_article(Store(path, lock_timeout=10, read_only=True), url)
    if found is None:
        console.print(f"[red]no article with URL {url} in {path}[/red]")
        raise typer.Exit(code=1)
    a = found.article
    console.print(
        f"[bold]{a['title']}[/bold]\n{a['canonical_url']}\n{a['site']} | {a['published_at']} | "
        f"{a['language']} | relevance {a['relevance']:.2f} | {a['extractor_version']}"
    )
    for mark, rule, text in found.lines:
        if mark == "keep":
            console.print("  " + text, markup=False, highlight=False, soft_wrap=True)
        else:
            label = "- removed" if mark == "drop" else "  cut from the line above"
            console.print(f"[red]{label} {escape(f'[{rule}]')}:[/red] ", end="")
            console.print(text, markup=False, highlight=False, soft_wrap=True)


def _default_query_db(settings) -> Path:
    from tasks import db as database

    main = settings.resolve(settings.database.path)
    snap = database.snapshot_path(main)
    return snap if snap.exists() else main


def _cell(value) -> str:
    text = "" if value is None else str(value)
    return text if len(text) <= 120 else text[:117] + "..."


def print_summary(summary: dict) -> None:
    counts = summary["counts"]
    table = Table("stage", "count", title=f"run {summary['run_id']}")
    for key in counts:
        table.add_row(key, str(counts[key]))
    console.print(table)
    if summary.get("drops"):
        drops = Table("dropped / failed because", "count")
        for key, value in sorted(summary["drops"].items()):
            drops.add_row(key, str(value))
        console.print(drops)
    for title, rows in summary.get("breakdowns", {}).items():
        t = Table(*rows[0].keys(), title=title) if rows else None
        if t is None:
            continue
        for row in rows:
            t.add_row(*[_cell(v) for v in row.values()])
        console.print(t)


PREFECT_STARTUP_HINT = (
    "Prefect's temporary server did not start in time (PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS={wait} s): "
    "the machine is too busy; raise that variable, or start a server and set PREFECT_API_URL (README, Deployments)."
)


def main() -> None:  # pragma: no cover - console entry point
    try:
        sys.exit(app())
    except RuntimeError as exc:
        if "ephemeral Prefect API server" not in str(exc):
            raise
        wait = os.environ.get("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "?")
        Console(stderr=True).print(PREFECT_STARTUP_HINT.format(wait=wait), markup=False, highlight=False)
        sys.exit(3)
