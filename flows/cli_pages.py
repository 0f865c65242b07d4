"""`newsmon` commands on single pages: extract, explain and dedupe saved pages; serve the simulated web."""

from __future__ import annotations

import time
from pathlib import Path

import typer
from rich.markup import escape
from rich.table import Table

from flows.cli_common import DbOption, app, cell, console, existing_db, fail


@app.command()
def extract(
    targets: list[str] = typer.Argument(..., help="Saved HTML files and/or URLs."),
    as_json: bool = typer.Option(False, "--json", help="One JSON line per page."),
) -> None:
    """Extract and clean pages without storing anything: title, date, language, relevance, text, removed snippets."""
    from flows.inspect_pages import report_json_lines, report_paths_and_urls
    from tasks.config import load_settings
    from tasks.relevance.topic import load_topic
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

    path = existing_db(db)
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
        fail(str(exc))
    pages = []
    for path in paths:
        try:
            html = path.read_text(encoding="utf-8", errors="replace")
        except OSError as exc:
            fail(f"{path}: {exc.strerror or exc}")
        pages.append(SavedPage(str(path), urls.get(str(path)) or urls.get(path.name), html))
    results = link_pages(pages)
    keys = ["path", "url", "canonical", "relevant", "group", "story", "relation"]
    if as_json:
        for r in results:
            print(json.dumps({k: r[k] for k in keys}, ensure_ascii=False))
        return
    table = Table(*keys, title=f"{len(results)} pages")
    for r in results:
        table.add_row(*[cell(r[k]) for k in keys])
    console.print(table)


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
