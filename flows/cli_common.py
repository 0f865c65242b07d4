"""What every `newsmon` command shares: the typer app, the console, exit codes and option checks."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console
from rich.markup import escape

app = typer.Typer(
    add_completion=False, no_args_is_help=True, help="newsmon: multilingual news monitoring into DuckDB."
)
console = Console()

DbOption = typer.Option(None, "--db", help="DuckDB file (default: the configured database).")

# Exit codes: 0 done; 1 bad input (configuration, options, missing database, SQL error) or the database busy
# (another run writing it, locked), nothing run;
# 2 the run happened but failed its purpose (no source reachable, backfill windows left unfinished).
EXIT_INPUT = 1
EXIT_RUN_FAILED = 2
STATE = {"debug": False}


def fail(message: str, code: int = 1) -> None:
    console.print(f"[red]{escape(message)}[/red]", highlight=False, soft_wrap=True)
    raise typer.Exit(code=code)


def existing_db(db: Path | None) -> Path:
    from tasks.config import load_settings

    path = db or default_query_db(load_settings())
    if not path.exists():
        fail(f"{path} does not exist: run `newsmon run` or `newsmon demo` first.")
    return path


def parse_day(option: str, value: str):
    from datetime import date

    try:
        return date.fromisoformat(value)
    except ValueError:
        fail(f"bad date: {option} {value!r} is not a day (use YYYY-MM-DD)")


def topic_languages() -> list[str]:
    from tasks.relevance.topic import load_topic

    return list(load_topic().languages)


def check_choice(option: str, given: list[str], allowed: list[str]) -> None:
    unknown = [g for g in given if g not in allowed]
    if unknown:
        fail(f"{option}: unknown {', '.join(map(repr, unknown))} (one of: {', '.join(allowed)})")


def default_query_db(settings) -> Path:
    from tasks import db as database

    main = settings.resolve(settings.database.path)
    snap = database.snapshot_path(main)
    return snap if snap.exists() else main


def cell(value) -> str:
    text = "" if value is None else str(value)
    return text if len(text) <= 120 else text[:117] + "..."
