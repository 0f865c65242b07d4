"""`newsmon` commands for analysts: query, search, report, stories and schema (read-only on the database)."""

from __future__ import annotations

import sys
from pathlib import Path

import typer
from rich.table import Table

from flows.cli_common import (
    DbOption,
    app,
    cell,
    check_choice,
    console,
    existing_db,
    fail,
    parse_day,
    topic_languages,
)

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
        fail(f"--format: {fmt!r} is not one of {', '.join(QUERY_FORMATS)}")
    if fmt == "parquet" and out is None:
        fail("--format parquet needs --out FILE.parquet")
    path = existing_db(db)
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
            fail(f"{type(exc).__name__}: {exc}")
    if fmt == "table":
        table = Table(*columns, show_lines=False)
        for row in rows[:limit]:
            table.add_row(*[cell(v) for v in row])
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
        check_choice("--language", [language], topic_languages())
    first = parse_day("--since", since) if since else None
    if sql:
        for lang in languages or topic_languages():
            _, statement = search_index.query_sql(text, lang)
            typer.echo(f"-- {lang}\n{statement}")
        return
    path = existing_db(db)
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
            cell(hit.title),
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
    from tasks import coverage
    from tasks import db as database
    from tasks import report as html_report

    first = parse_day("--since", since) if since else None
    path = existing_db(db)
    with database.connect(path, read_only=True, lock_timeout=10) as con:
        data = coverage.gather(con, first)
    out.write_text(html_report.render_html(data), encoding="utf-8")
    console.print(f"{data.total} articles; report written to {out}", highlight=False)


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


@app.command()
def stories(
    since: str = typer.Option(
        None, "--since", help="Only stories whose event day is on or after YYYY-MM-DD."
    ),
    story: str = typer.Option(None, "--story", help="One story's timeline (a merged-away id resolves)."),
    db: Path = DbOption,
) -> None:
    """List the stories (events), or show one story's timeline by language and outlet."""
    from tasks import db as database
    from tasks.repos import stories as story_repo

    day = parse_day("--since", since) if since else None
    path = existing_db(db)
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
        table.add_row(*[cell(row[c]) for c in cols])
    console.print(table)
