"""Real `newsmon run` processes against a simulated web served by the test, and what they leave in the database.

Shared by the kill and concurrency tests: each run is its own process (killed with SIGKILL at a named step through
`NEWSMON_KILL_AT`, see `tasks/killpoint.py`), talking to the Prefect server of the test session, with the
pipeline's clock pinned to the demo's "now" (`NEWSMON_NOW`).
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

from flows.demo import DEMO_NOW, write_demo_config

NEWSMON = str(Path(sys.executable).with_name("newsmon"))
ROOT = Path(__file__).resolve().parent.parent
# tables a run's history may change without changing what it found: the runs themselves, the schema, the
# sources' conditional-GET state (a second run is answered 304)
NOT_COMPARED = {"runs", "schema_version", "sources"}


def prefect_api_url() -> str:
    """The API of the session's Prefect server (inside the `prefect_harness` fixture)."""
    import prefect.settings

    return prefect.settings.PREFECT_API_URL.value()


def config(web, directory: Path, db_path: Path, lock_timeout: float | None = None) -> tuple[Path, Path]:
    directory.mkdir(parents=True, exist_ok=True)
    settings_file, sources_file = write_demo_config(web, db_path, directory)
    if lock_timeout is not None:
        text = settings_file.read_text(encoding="utf-8").replace(
            "lock_timeout = 30", f"lock_timeout = {lock_timeout}"
        )
        settings_file.write_text(text, encoding="utf-8")
    return settings_file, sources_file


def command(web, directory: Path, db_path: Path, lock_timeout: float | None = None) -> list[str]:
    settings_file, sources_file = config(web, directory, db_path, lock_timeout)
    return [
        NEWSMON,
        "run",
        "--db",
        str(db_path),
        "--sources",
        str(sources_file),
        "--settings",
        str(settings_file),
    ]


def environment(api_url: str, kill_at: str | None = None) -> dict:
    env = dict(os.environ, PREFECT_API_URL=api_url, NEWSMON_NOW=DEMO_NOW.isoformat(), COLUMNS="1000")
    env.pop("NEWSMON_KILL_AT", None)
    if kill_at:
        env["NEWSMON_KILL_AT"] = kill_at
    return env


def start(web, directory: Path, db_path: Path, api_url: str, *, kill_at=None, lock_timeout=None):
    """A `newsmon run` process, started (stdout and stderr to files in `directory`)."""
    directory.mkdir(parents=True, exist_ok=True)
    tag = (kill_at or "run").replace(":", "-")
    out = open(directory / f"{tag}.out", "ab")  # noqa: SIM115 - closed when the process is waited for
    proc = subprocess.Popen(
        command(web, directory, db_path, lock_timeout),
        cwd=ROOT,
        env=environment(api_url, kill_at),
        stdout=out,
        stderr=subprocess.STDOUT,
    )
    proc.log_file = out  # type: ignore[attr-defined]
    return proc


def wait(proc, timeout: float = 240) -> tuple[int, str]:
    """Exit code and output of a started run."""
    try:
        code = proc.wait(timeout)
    finally:
        proc.log_file.close()
    return code, Path(proc.log_file.name).read_text(encoding="utf-8", errors="replace")


def run(web, directory: Path, db_path: Path, api_url: str, *, kill_at=None, timeout: float = 240):
    return wait(start(web, directory, db_path, api_url, kill_at=kill_at), timeout)


def tables(db_path: Path, leave_out: set[str] = frozenset()) -> dict[str, Counter]:
    """Every table's rows as a multiset, without what differs from run to run by nature: timestamps, run ids,
    response times, and `template_sites.dirty` (pages changed since the site was last learned: a later run
    relearns it and clears the flag, whatever happened before). `leave_out`: URLs whose `urls` and `fetches`
    rows are not compared (pages a later run asks for again by design: failed with attempts left, or in flight
    when a run was killed)."""
    from tasks import db

    out = {}
    with db.connect(db_path, read_only=True) as con:
        names = [
            t
            for (t,) in con.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' "
                "AND table_type = 'BASE TABLE' ORDER BY 1"
            ).fetchall()
            if t not in NOT_COMPARED
        ]
        for name in names:
            columns = [
                c
                for c, kind in con.execute(
                    "SELECT column_name, data_type FROM information_schema.columns "
                    "WHERE table_schema = 'main' AND table_name = ? ORDER BY ordinal_position",
                    [name],
                ).fetchall()
                if "TIMESTAMP" not in kind
                and not c.endswith("run_id")
                and c != "elapsed_ms"
                and (name, c) != ("template_sites", "dirty")
            ]
            select = ", ".join(f'"{c}"' for c in columns)
            where, params = "", []
            if name in ("urls", "fetches"):
                where, params = " WHERE url NOT IN (SELECT unnest(?::VARCHAR[]))", [sorted(leave_out)]
            out[name] = Counter(
                tuple(repr(v) for v in row)
                for row in con.execute(f"SELECT {select} FROM {name}{where}", params).fetchall()
            )
    return out


def differences(got: dict[str, Counter], expected: dict[str, Counter]) -> dict[str, tuple[int, int]]:
    """Per table that differs: (rows only in `got`, rows only in `expected`)."""
    out = {}
    for name in sorted(set(got) | set(expected)):
        a, b = got.get(name, Counter()), expected.get(name, Counter())
        if a != b:
            out[name] = (sum((a - b).values()), sum((b - a).values()))
    return out


def page_requests(requests) -> Counter:
    """Requests for pages (not feeds, sitemaps or robots.txt), by host and path."""
    paths = ((r.host, urlsplit(r.path).path) for r in requests)
    return Counter(
        (host, path) for host, path in paths if path != "/robots.txt" and not path.endswith(".xml")
    )
