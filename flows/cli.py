"""The `newsmon` command: run the pipeline, run the offline demo, query the database.

The run commands (run, demo, backfill, reprocess) and the entry point are here; analysts' commands are in
`flows.cli_analyst`, single-page commands in `flows.cli_pages`, what they share in `flows.cli_common`.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from flows.cli_common import (
    EXIT_INPUT,
    EXIT_RUN_FAILED,
    STATE,
    DbOption,
    app,
    cell,
    check_choice,
    console,
    fail,
    parse_day,
    topic_languages,
)


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import version

        typer.echo(f"newsmon {version('newsmon')}")
        raise typer.Exit()


@app.callback()
def _options(
    debug: bool = typer.Option(False, "--debug", help="Show tracebacks of unexpected errors."),
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """newsmon: multilingual news monitoring into DuckDB. Exit codes: 0 done, 1 bad input, 2 run failed."""
    STATE["debug"] = debug


STAGE_LABELS = {
    "discover": "sources read",
    "search": "search sources asked",
    "windows": "backfill windows",
    "fetch": "pages fetched",
    "process": "pages decided and loaded",
}


@contextmanager
def _working(label: str):
    """A live progress display while a flow works, on a terminal only (logs stay quiet): the run's elapsed
    time, then a bar per stage as the flow reports it (`tasks.progress`)."""
    if not console.is_terminal:
        yield
        return
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        SpinnerColumn,
        TextColumn,
        TimeElapsedColumn,
    )

    from tasks import progress

    started = time.monotonic()
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    ) as display:
        display.add_task(f"{label}…", total=None)
        bars: dict[str, object] = {}
        lock = threading.Lock()

        def show(stage: str, done: int, total: int | None) -> None:
            with lock:
                if stage not in bars:
                    bars[stage] = display.add_task(f"  {STAGE_LABELS.get(stage, stage)}", total=total)
            display.update(bars[stage], completed=done, total=total)

        with progress.listening(show):
            yield
    done = ", ".join(
        f"{STAGE_LABELS.get(stage, stage)} {count}" for stage, (count, _) in progress.snapshot().items()
    )
    console.print(
        f"{label} took {time.monotonic() - started:.0f} s" + (f" ({done})" if done else ""), highlight=False
    )


def _preflight(
    settings: Path | None = None, sources: Path | None = None, rules_dir: Path | None = None
) -> None:
    """Every configuration problem, one line each, before any flow run is created."""
    from tasks.config import check_all

    problems = check_all(settings, sources, rules_dir=rules_dir)
    if problems:
        for problem in problems:
            console.print(f"[red]{escape(problem)}[/red]", highlight=False, soft_wrap=True)
        raise typer.Exit(code=EXIT_INPUT)


def _quiet_prefect() -> None:
    """Flows run from the shell use a temporary local Prefect server unless PREFECT_API_URL points at one.

    The terminal shows warnings and errors only (the progress display and the summary say the rest), while
    every log line still reaches the Prefect server, so a CLI run reads in the UI like a deployment's: the
    level applies to the console handler, not to the loggers. newsmon's own module loggers (`tasks.*`,
    `flows.*`) are sent to the server too.
    """
    os.environ.setdefault("PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL", "WARNING")
    os.environ.setdefault("PREFECT_LOGGING_EXTRA_LOGGERS", "tasks,flows")
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")


@app.command()
def run(
    db: Path = DbOption,
    sources: Path = typer.Option(None, "--sources", help="Sources TOML (default: config/sources.toml)."),
    settings: Path = typer.Option(None, "--settings", help="Settings TOML (default: config/newsmon.toml)."),
) -> None:
    """Run the nightly pipeline against the configured real sources (exit 2 when none is reachable)."""
    _quiet_prefect()
    _preflight(settings, sources)
    from flows.nightly import nightly

    with _working("nightly run"):
        summary = nightly(
            db_path=str(db) if db else None,
            sources_file=str(sources) if sources else None,
            settings_file=str(settings) if settings else None,
            fail_when_unreachable=False,
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

    with _working("demo"):
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

    _quiet_prefect()
    first, last = parse_day("--start", start), parse_day("--end", end)
    check_choice("--language", language or [], topic_languages())
    if not demo:
        from tasks.config import load_sources

        _preflight()
        check_choice("--source", source or [], [s.name for s in load_sources()])
    if demo:
        from flows.demo import run_demo_backfill

        with _working("backfill (simulated web)"):
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
        from tasks.summaries import BackfillFailedError

        try:
            with _working("backfill"):
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
            fail(str(exc))
        except BackfillFailedError as exc:
            fail(
                f"backfill failed: {exc} (nothing marked done; run it again when the sources are back)",
                code=EXIT_RUN_FAILED,
            )
    table = Table("count", "value", title=f"backfill {first}..{last} ({summary['run_id']})")
    for key, value in summary["counts"].items():
        table.add_row(key, str(value))
    console.print(table)
    if summary.get("failed_windows"):
        console.print(
            f"[red]{len(summary['failed_windows'])} window(s) unfinished (the next backfill retries them):[/red]"
        )
        for line in summary["failed_windows"]:
            console.print(f"  {escape(line)}", highlight=False, soft_wrap=True)
        raise typer.Exit(code=EXIT_RUN_FAILED)


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

    _quiet_prefect()
    first = parse_day("--start", start) if start else None
    last = parse_day("--end", end) if end else None
    _preflight(rules_dir=rules_dir)
    from flows.reprocess import reprocess as reprocess_flow

    with _working("reprocess"):
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
            t.add_row(*[cell(v) for v in row.values()])
        console.print(t)


PREFECT_STARTUP_HINT = (
    "Prefect's temporary server did not start in time (PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS={wait} s): "
    "the machine is too busy; raise that variable, or start a server and set PREFECT_API_URL (README, Deployments)."
)


def main() -> None:  # pragma: no cover - console entry point
    """The console entry point: an unexpected error is one line (its traceback with --debug)."""
    from tasks.config import ConfigError
    from tasks.db import DatabaseLockedError
    from tasks.runlock import RunLockedError

    try:
        code = app(standalone_mode=False)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except (KeyboardInterrupt, EOFError):
        console.print("[red]interrupted[/red]")
        sys.exit(130)
    except Exception as exc:
        # typer ships its own click: recognise its usage errors and aborts by behaviour, not by class
        if type(exc).__name__ == "Abort":
            sys.exit(130)
        if callable(getattr(exc, "show", None)) and isinstance(getattr(exc, "exit_code", None), int):
            exc.show()
            sys.exit(EXIT_INPUT)
        if isinstance(exc, RuntimeError) and "ephemeral Prefect API server" in str(exc):
            wait = os.environ.get("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "?")
            Console(stderr=True).print(PREFECT_STARTUP_HINT.format(wait=wait), markup=False, highlight=False)
            sys.exit(3)
        if STATE["debug"]:
            raise
        code = (
            EXIT_INPUT
            if isinstance(exc, (ConfigError, DatabaseLockedError, RunLockedError))
            else EXIT_RUN_FAILED
        )
        first_line = (str(exc).splitlines() or [""])[0]
        console.print(f"[red]{type(exc).__name__}: {escape(first_line)}[/red] (--debug shows the traceback)")
        sys.exit(code)
    sys.exit(code if isinstance(code, int) else 0)


# the other commands register themselves on `app`
import flows.cli_analyst  # noqa: E402, F401
import flows.cli_pages  # noqa: E402, F401
