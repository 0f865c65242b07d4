"""The `newsmon` command: run the pipeline, run the offline demo, query the database."""

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
_state = {"debug": False}


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
    _state["debug"] = debug


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
    first, last = _parse_day("--start", start), _parse_day("--end", end)
    _check_choice("--language", language or [], _topic_languages())
    if not demo:
        from tasks.config import load_sources

        _preflight()
        _check_choice("--source", source or [], [s.name for s in load_sources()])
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
        from tasks.report import BackfillFailedError

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
            _fail(str(exc))
        except BackfillFailedError as exc:
            _fail(
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
    first = _parse_day("--start", start) if start else None
    last = _parse_day("--end", end) if end else None
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


QUERY_FORMATS = ("table", "csv", "json", "parquet")


@app.command()
def query(
    sql: str = typer.Argument(..., help="SQL to run (read-only)."),
    db: Path = typer.Option(
        None,
        "--db",
        help="DuckDB file (default: the analysts' snapshot duckdb/news.analyst.duckdb, else the database).",
    ),
    limit: int = typer.Option(50, help="Rows to print at most (table format only)."),
    fmt: str = typer.Option("table", "--format", help="table | csv | json (one object a line) | parquet."),
    out: Path = typer.Option(None, "--out", help="Write to this file (required for parquet)."),
    allow_files: bool = typer.Option(
        False, "--allow-files", help="Let the SQL read and write files (COPY ... TO, read_csv, ATTACH, ...)."
    ),
) -> None:
    """Run SQL on the database (by default the analysts' snapshot, so a running pipeline is never blocked).

    The SQL reads the database only: file access, extension loading and configuration changes are refused
    unless `--allow-files` is given.
    """
    from tasks import db as database

    if fmt not in QUERY_FORMATS:
        _fail(f"--format: {fmt!r} is not one of {', '.join(QUERY_FORMATS)}")
    if fmt == "parquet" and out is None:
        _fail("--format parquet needs --out FILE.parquet")
    path = _existing_db(db)
    import duckdb

    with database.connect(path, read_only=True, lock_timeout=10) as con:
        database.load_fts(con)
        if not allow_files:
            database.restrict_to_database(con)
        try:
            cursor = con.execute(sql)
            if fmt == "table":
                columns = [d[0] for d in cursor.description or []]
                rows = cursor.fetchmany(limit + 1)
            else:
                relation = cursor.arrow() if hasattr(cursor, "arrow") else cursor.fetch_arrow_table()
        except duckdb.Error as exc:
            _fail(f"{type(exc).__name__}: {exc}")
    if fmt == "table":
        table = Table(*columns, show_lines=False)
        for row in rows[:limit]:
            table.add_row(*[_cell(v) for v in row])
        console.print(table)
        if len(rows) > limit:
            console.print(f"(first {limit} rows; use --limit)")
        return
    _write_arrow(relation, fmt, out)


def _write_arrow(table, fmt: str, out: Path | None) -> None:
    import io
    import json

    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    if hasattr(table, "read_all"):
        table = table.read_all()
    if fmt == "parquet":
        pq.write_table(table, out)
        console.print(f"{table.num_rows} rows written to {out}", highlight=False)
        return
    if fmt == "csv":
        buf = io.BytesIO()
        pacsv.write_csv(table, buf)
        text = buf.getvalue().decode("utf-8")
    else:
        text = "".join(json.dumps(row, ensure_ascii=False, default=str) + "\n" for row in table.to_pylist())
    if out:
        out.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)


@app.command()
def search(
    text: str = typer.Argument(
        ..., help="Words to find (every word must occur; stems in inflecting languages)."
    ),
    language: str = typer.Option(None, "--language", help="Only articles in this language (e.g. ru, ja)."),
    since: str = typer.Option(None, "--since", help="Only articles published on or after YYYY-MM-DD (UTC)."),
    as_json: bool = typer.Option(
        False, "--json", help="One JSON line per hit: article_id, title, score, ..."
    ),
    sql: bool = typer.Option(False, "--sql", help="Print the SQL to run the same search in plain duckdb."),
    limit: int = typer.Option(20, help="Hits to print at most (table only; --json lists every hit)."),
    db: Path = typer.Option(
        None, "--db", help="DuckDB file (default: the analysts' snapshot, else the database)."
    ),
) -> None:
    """Full-text search in every language (stems, Chinese/Japanese/Korean words), best match first."""
    import json

    from tasks import db as database
    from tasks import search_index

    languages = [language] if language else None
    if language:
        _check_choice("--language", [language], _topic_languages())
    first = _parse_day("--since", since) if since else None
    if sql:
        for lang in languages or _topic_languages():
            _, statement = search_index.query_sql(text, lang)
            typer.echo(f"-- {lang}\n{statement}")
        return
    path = _existing_db(db)
    with database.connect(path, read_only=True, lock_timeout=10) as con:
        hits = search_index.search(con, text, languages=languages, since=first)
    if as_json:
        for hit in hits:
            typer.echo(json.dumps(hit.as_json(), ensure_ascii=False))
        return
    table = Table("score", "published", "lang", "site", "title", title=f"{len(hits)} article(s) for {text!r}")
    for hit in hits[:limit]:
        table.add_row(
            f"{hit.score:.2f}",
            str(hit.published_at or "")[:10],
            hit.language or "",
            hit.site or "",
            _cell(hit.title),
        )
    console.print(table)
    if len(hits) > limit:
        console.print(f"(first {limit} of {len(hits)}; use --limit or --json)")


@app.command()
def report(
    since: str = typer.Option(None, "--since", help="Only articles published on or after YYYY-MM-DD (UTC)."),
    out: Path = typer.Option(Path("newsmon-report.html"), "--out", help="HTML file to write."),
    db: Path = typer.Option(
        None, "--db", help="DuckDB file (default: the analysts' snapshot, else the database)."
    ),
) -> None:
    """Write one self-contained HTML report: coverage per day and outlet, biggest stories, source health."""
    from tasks import db as database
    from tasks import report as coverage

    first = _parse_day("--since", since) if since else None
    path = _existing_db(db)
    with database.connect(path, read_only=True, lock_timeout=10) as con:
        data = coverage.gather(con, first)
    out.write_text(coverage.render_html(data), encoding="utf-8")
    console.print(f"{data.total} articles; report written to {out}", highlight=False)


simweb_app = typer.Typer(no_args_is_help=True, help="The simulated web of publishers and search services.")
app.add_typer(simweb_app, name="simweb")


@simweb_app.command("serve")
def simweb_serve(
    port: int = typer.Option(
        8700, "--port", help="First port (publishers and services take ports from here)."
    ),
    directory: Path = typer.Option(
        Path("duckdb/simweb"), "--dir", help="Where to write the settings and sources files pointing at it."
    ),
    db: Path = typer.Option(Path("duckdb/simweb.duckdb"), "--db", help="Database the written settings name."),
) -> None:
    """Serve the simulated web and its emulated services until Ctrl-C; print the files to deploy against it."""
    import time

    from flows.demo import BACKFILL_NOW, write_demo_config
    from simweb import SimWeb

    directory.mkdir(parents=True, exist_ok=True)
    with SimWeb(now=BACKFILL_NOW, faults="demo", port=port, services=True) as web:
        settings_file, sources_file = write_demo_config(web, db.resolve(), directory.resolve())
        console.print(
            f"simulated web: {len(web.publishers)} publishers and {len(web.service_urls)} services, "
            f"its clock at {BACKFILL_NOW:%Y-%m-%d}\n"
            f"  settings: {settings_file}\n  sources:  {sources_file}\n"
            "Deploy and run against it (another shell, same checkout):\n"
            f"  NEWSMON_SOURCES_FILE={sources_file} uv run prefect deploy --all\n"
            f"  uv run prefect deployment run backfill/backfill -p start=2024-06-18 -p end=2024-06-25 "
            f"-p settings_file={settings_file} --watch\n"
            f"(start the worker with the same NEWSMON_SOURCES_FILE and NEWSMON_NOW={BACKFILL_NOW:%Y-%m-%dT%H:%M:%SZ}, "
            "the simulated web's clock). Ctrl-C stops it.",
            highlight=False,
            soft_wrap=True,
        )
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            console.print("stopped")


@app.command()
def schema(
    markdown: bool = typer.Option(False, "--markdown", help="The README's data dictionary section."),
    write_readme: bool = typer.Option(False, "--write-readme", help="Regenerate that section of README.md."),
) -> None:
    """Every table, view and column of the database with its comment (from the migrations)."""
    from tasks import datadict

    if write_readme:
        changed = datadict.write_readme()
        console.print("README.md data dictionary " + ("regenerated" if changed else "already up to date"))
        return
    if markdown:
        typer.echo(datadict.markdown(), nl=False)
        return
    for obj in datadict.describe():
        console.print(f"[bold]{obj.name}[/bold] ({obj.kind}): {obj.comment or ''}", highlight=False)
        for column, type_, comment in obj.columns:
            console.print(f"  {column} {type_}: {comment or ''}", highlight=False, markup=False)


def _fail(message: str, code: int = 1) -> None:
    console.print(f"[red]{escape(message)}[/red]", highlight=False, soft_wrap=True)
    raise typer.Exit(code=code)


def _existing_db(db: Path | None) -> Path:
    from tasks.config import load_settings

    path = db or _default_query_db(load_settings())
    if not path.exists():
        _fail(f"{path} does not exist: run `newsmon run` or `newsmon demo` first.")
    return path


def _parse_day(option: str, value: str):
    from datetime import date

    try:
        return date.fromisoformat(value)
    except ValueError:
        _fail(f"bad date: {option} {value!r} is not a day (use YYYY-MM-DD)")


def _topic_languages() -> list[str]:
    from tasks.relevance import load_topic

    return list(load_topic().languages)


def _check_choice(option: str, given: list[str], allowed: list[str]) -> None:
    unknown = [g for g in given if g not in allowed]
    if unknown:
        _fail(f"{option}: unknown {', '.join(map(repr, unknown))} (one of: {', '.join(allowed)})")


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
    from tasks.store import Store

    path = _existing_db(db)
    found = explain_article(Store(path, lock_timeout=10, read_only=True), url)
    if found is None:
        _explain_failure(path, url)  # issue 16: a page that failed processing or is quarantined says why
        console.print(f"[red]no article with URL {url} in {path}[/red]")
        raise typer.Exit(code=1)
    a = found.article
    console.print(
        f"[bold]{a['title']}[/bold]\n{a['canonical_url']}\n{a['site']} | {a['published_at']} | "
        f"{a['language']} | relevance {a['relevance']:.2f} | {a['extractor_version']}"
    )
    _print_dates(found)
    for mark, rule, text in found.lines:
        if mark == "keep":
            console.print("  " + text, markup=False, highlight=False, soft_wrap=True)
        else:
            label = "- removed" if mark == "drop" else "  cut from the line above"
            console.print(f"[red]{label} {escape(f'[{rule}]')}:[/red] ", end="")
            console.print(text, markup=False, highlight=False, soft_wrap=True)


def _explain_failure(path: Path, url: str) -> None:
    from tasks import db as database
    from tasks.canonical import canonical_url
    from tasks.repos import quarantine

    if not path.exists():
        return
    with database.connect(path, read_only=True, lock_timeout=10) as con:
        if not con.execute(
            "SELECT 1 FROM information_schema.tables WHERE table_name = 'process_failures'"
        ).fetchone():
            return
        failure = quarantine.explain(con, canonical_url(url) or url) or quarantine.explain(con, url)
    if failure:
        console.print(
            f"[yellow]{failure['url']}: {failure['status']} after failing on {failure['failures']} run(s), "
            f"last in {failure['stage']} (run {failure['last_run_id']}):[/yellow] ",
            end="",
        )
        console.print(failure["error"], markup=False, highlight=False)


def _print_dates(found) -> None:
    """The chosen publication date and every date signal, in order of trust."""
    d = found.date
    if d is None:
        return
    offset = "" if d["utc_offset_min"] is None else f" (UTC{d['utc_offset_min'] / 60:+g}h)"
    flag = f" [red]signals disagree by {d['disagreement_days']} days[/red]" if d["flagged"] else ""
    console.print(
        f"published {d['published_day']} local {d['published_local']}{offset} by {escape(d['rule'])}, "
        f"confidence {d['confidence']:.2f}{flag}"
    )
    for s in found.date_signals or []:
        where = s["reason"] if s["role"] == "dropped" else s["day"]
        console.print(
            f"  date {s['role']:<9} {s['kind']:<30} {where}  {s['raw'] or ''}", markup=False, highlight=False
        )


@app.command()
def stories(
    since: str = typer.Option(
        None, "--since", help="Only stories whose event day is on or after YYYY-MM-DD."
    ),
    story: str = typer.Option(None, "--story", help="One story's timeline (a merged-away id resolves)."),
    db: Path = DbOption,
) -> None:
    """List the stories (events), or show one story's timeline by language and outlet."""
    from datetime import date

    from tasks import db as database
    from tasks.config import load_settings
    from tasks.repos import stories as story_repo

    path = db or _default_query_db(load_settings())
    try:
        day = date.fromisoformat(since) if since else None
    except ValueError:
        console.print(f"[red]--since must be YYYY-MM-DD, got {since!r}[/red]")
        raise typer.Exit(code=2) from None
    with database.connect(path, read_only=True, lock_timeout=10) as con:
        if story:
            rows = story_repo.timeline(con, story)
            if not rows:
                console.print(f"[red]no story {story} in {path}[/red]")
                raise typer.Exit(code=1)
            cols = [
                "first_at",
                "language",
                "outlet",
                "pages",
                "relations",
                "hours_after_first_report",
                "language_hours_after_first_report",
            ]
            title = f"story {story_repo.resolve(con, story)}"
        else:
            rows = story_repo.list_stories(con, day)
            cols = [
                "story_id",
                "event_day",
                "first_outlet",
                "article_count",
                "languages",
                "outlets",
                "headlines",
            ]
            title = f"{len(rows)} stories"
    table = Table(*cols, title=title)
    for row in rows:
        table.add_row(*[_cell(row[c]) for c in cols])
    console.print(table)


@app.command()
def dedupe(
    paths: list[Path] = typer.Argument(..., help="Saved HTML pages."),
    manifest: Path = typer.Option(None, "--manifest", help='JSON lines {"path": ..., "url": ...}.'),
    as_json: bool = typer.Option(False, "--json", help="One JSON line per page, in input order."),
) -> None:
    """Group saved pages and link them into stories with the pipeline's own stages, in memory (no database)."""
    import json

    from tasks.linking import ManifestError, SavedPage, link_pages, read_manifest

    try:
        urls = read_manifest(manifest) if manifest else {}
    except (OSError, ManifestError) as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(code=2) from None
    pages = []
    for path in paths:
        try:
            html = path.read_text(encoding="utf-8", errors="replace")
        except OSError as exc:
            console.print(f"[red]{path}: {exc.strerror or exc}[/red]")
            raise typer.Exit(code=2) from None
        pages.append(SavedPage(str(path), urls.get(str(path)) or urls.get(path.name), html))
    results = link_pages(pages)
    keys = ["path", "url", "canonical", "relevant", "group", "story", "relation"]
    if as_json:
        for r in results:
            print(json.dumps({k: r[k] for k in keys}, ensure_ascii=False))
        return
    table = Table(*keys, title=f"{len(results)} pages")
    for r in results:
        table.add_row(*[_cell(r[k]) for k in keys])
    console.print(table)


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
        if _state["debug"]:
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
