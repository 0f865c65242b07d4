"""The offline demo: the simulated web plays the publishers, the nightly flow runs against it unchanged."""

from __future__ import annotations

import json
import os
import tempfile
import time
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from rich.console import Console

from tasks import db as database
from tasks.models import Source

DEMO_NOW = datetime(2024, 11, 30, 6, 0, tzinfo=UTC)
BACKFILL_NOW = datetime(2024, 7, 15, 6, 0, tzinfo=UTC)  # within the GDELT DOC API's 3 months of June 2024
DEMO_PORT = 8460  # fixed, so the demo's URLs are the same from one run to the next

EXAMPLE_QUERIES = (
    "SELECT language, count(*) AS articles FROM articles GROUP BY language ORDER BY articles DESC",
    "SELECT title, site, published_at, score FROM (SELECT *, fts_main_articles.match_bm25(article_id, 'Pyongyang') "
    "AS score FROM articles) WHERE score IS NOT NULL ORDER BY score DESC LIMIT 5",
)


def demo_settings_toml(db_path: Path) -> str:
    """The pipeline's settings with the simulated web allowed (loopback) and polite-but-quick pacing."""
    return f"""
[database]
path = "{db_path.resolve()}"
lock_timeout = 30

[fetch]
user_agent = "newsmon-demo/0.1"
timeout = 5.0
max_bytes = 2_000_000
delay = 0.05
max_retries = 2
backoff = 0.1
max_retry_after = 5.0
max_workers = 16
allow_networks = ["127.0.0.0/8"]
max_attempts = 3
"""


def sources_toml(sources: list[Source]) -> str:
    blocks = []
    for s in sources:
        block = f'[[source]]\nname = "{s.name}"\nkind = "{s.kind}"\nurl = "{s.url}"\n'
        block += (f'language = "{s.language}"\n' if s.language else "") + f"delay = {s.delay}\n"
        if s.nightly is not None:
            block += f"nightly = {toml_value(s.nightly)}\n"
        if s.options:
            block += f"options = {toml_value(s.options)}\n"
        blocks.append(block)
    return "\n".join(blocks)


def toml_value(value) -> str:
    """Plain values as TOML (inline tables, arrays, strings, numbers, booleans)."""
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{json.dumps(str(k))} = {toml_value(v)}" for k, v in value.items()) + " }"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    return json.dumps(str(value), ensure_ascii=False)


def search_sources(web) -> list[Source]:
    """The four emulated search and history services, with every simulated publisher as a CDX outlet."""
    urls = web.service_urls
    outlets = {p.name: {"site": p.base_url, "patterns": ["*/20*/*.html"]} for p in web.publishers}
    return [
        Source("google-news", "gnews", urls["gnews"], delay=0.0, options={"cap": 100}),
        Source("gdelt-doc", "gdelt", urls["gdelt"], delay=0.0, options={"min_interval": 0.0}),
        Source("gdelt-gkg", "gkg", urls["gkg"], delay=0.0, options={}),
        Source("wayback", "cdx", urls["cdx"], delay=0.0, options={"outlets": outlets}),
    ]


def write_demo_config(web, db_path: Path, directory: Path) -> tuple[Path, Path]:
    """Settings and sources files that point the pipeline at a running simulated web (and its services)."""
    settings_file = directory / "newsmon.toml"
    sources_file = directory / "sources.toml"
    settings_file.write_text(demo_settings_toml(db_path), encoding="utf-8")
    sources = web.sources() + (search_sources(web) if web.service_urls else [])
    sources_file.write_text(sources_toml(sources), encoding="utf-8")
    return settings_file, sources_file


def breakdowns(db_path: Path) -> dict[str, list[dict]]:
    from tasks.repos import stories as story_repo
    from tasks.repos import summaries

    with database.connect(db_path, read_only=True) as con:
        out = summaries.breakdowns(con)
        out["stories (largest 10)"] = story_repo.largest(con, 10)
        return out


@contextmanager
def simulated_run(
    db_path: Path, now: datetime, *, fresh: bool, port: int, services: bool = False, search_only: bool = False
):
    """A running simulated web, the pipeline's clock started at its "now", and config files pointing at it.
    `search_only` adds the publishers only the search services lead to (simweb/searchonly.py).

    Yields (web, settings_file, sources_file).
    """
    from simweb import SimWeb
    from tasks import clock

    if fresh:
        for p in (db_path, database.snapshot_path(db_path)):
            p.unlink(missing_ok=True)
    clock.set_now(now, ticking=True)
    try:
        with (
            SimWeb(now=now, faults="demo", port=port, services=services, search_only=search_only) as web,
            tempfile.TemporaryDirectory(prefix="newsmon-demo-") as tmp,
        ):
            yield (web, *write_demo_config(web, db_path, Path(tmp)))
    finally:
        clock.set_now(None)


def run_demo(db_path: Path, *, fresh: bool = False, console: Console | None = None) -> dict:
    from flows.nightly import nightly

    console = console or Console()
    db_path = Path(db_path)
    started = time.monotonic()
    # the search services and the publishers only they lead to: the nightly's search pass finds the last day's
    # stories in every configured language
    with simulated_run(db_path, DEMO_NOW, fresh=fresh, port=DEMO_PORT, services=True, search_only=True) as (
        web,
        settings_file,
        sources_file,
    ):
        hosts = sorted(
            {p.base_url.split("//")[1].split(":")[0] for p in web.publishers},
            key=lambda host: [int(part) for part in host.split(".")],
        )
        console.print(
            f"simulated web: {len(web.publishers)} publishers on {hosts[0]}..{hosts[-1]} "
            f"({len(web.search_only_truth())} reached only through search) and {len(web.service_urls)} "
            "search services"
        )
        summary = nightly(
            db_path=str(db_path), sources_file=str(sources_file), settings_file=str(settings_file)
        )
    summary["breakdowns"] = breakdowns(db_path)
    summary["wall_seconds"] = round(time.monotonic() - started, 1)
    return summary


def print_next_steps(summary: dict, console: Console) -> None:
    db_path = Path(summary["db_path"])
    console.print(
        f"demo finished in {summary['wall_seconds']} s (the flow itself: {summary['flow_seconds']} s); "
        f"database: {db_path}, analysts' snapshot: {database.snapshot_path(db_path)}"
    )
    console.print("Try:")
    for sql in EXAMPLE_QUERIES:
        console.print(
            f'  uv run newsmon query --db {database.snapshot_path(db_path)} "{sql}"',
            markup=False,
            highlight=False,
            soft_wrap=True,
        )


def run_demo_backfill(
    db_path: Path,
    start,
    end,
    *,
    sources: list[str] | None = None,
    languages: list[str] | None = None,
    refetch: bool = False,
    dry_run: bool = False,
    fresh: bool = False,
    port: int = DEMO_PORT,
) -> dict:
    """The backfill flow against the simulated web and its emulated search services."""
    db_path = Path(db_path)
    started = time.monotonic()
    with simulated_run(db_path, BACKFILL_NOW, fresh=fresh, port=port, services=True) as (
        _,
        settings_file,
        sources_file,
    ):
        # the flow reads its sources (and, at import, its form's enum of them) from this file; the setting goes
        # with the simulated web (its files are removed after the run)
        previous = os.environ.get("NEWSMON_SOURCES_FILE")
        os.environ["NEWSMON_SOURCES_FILE"] = str(sources_file)
        try:
            from flows.backfill import backfill

            summary = backfill(
                start=start,
                end=end,
                sources=sources,
                languages=languages,
                refetch=refetch,
                dry_run=dry_run,
                db_path=str(db_path),
                settings_file=str(settings_file),
            )
        finally:
            if previous is None:
                os.environ.pop("NEWSMON_SOURCES_FILE", None)
            else:
                os.environ["NEWSMON_SOURCES_FILE"] = previous
    summary["wall_seconds"] = round(time.monotonic() - started, 1)
    return summary
