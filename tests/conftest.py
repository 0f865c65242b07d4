"""Test-wide setup: an isolated Prefect home, no analytics, everything offline."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

_prefect_home = tempfile.mkdtemp(prefix="newsmon-prefect-")
os.environ.setdefault("PREFECT_HOME", _prefect_home)
os.environ["PREFECT_SERVER_ANALYTICS_ENABLED"] = "false"
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
os.environ.pop("PREFECT_API_URL", None)

import pytest  # noqa: E402

FIXTURES = Path(__file__).parent / "fixtures"


# modules that share the real Prefect server, deployments and worker of tests/prefect_server.py
SHARED_SERVER = {"test_deployments.py", "test_ui.py"}


def pytest_collection_modifyitems(config, items):
    """`bash run.sh test` runs the suite on two workers (`pytest -n 2 --dist loadgroup`): a module's tests stay
    on one worker, so its module fixtures are made once, and the modules sharing one Prefect server stay
    together."""
    for item in items:
        name = item.path.name
        item.add_marker(pytest.mark.xdist_group("prefect-server" if name in SHARED_SERVER else name))


@pytest.fixture(scope="session")
def prefect_harness():
    """One temporary Prefect server for every test that runs a flow (it takes seconds to start)."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield


def run_nightly(web, directory: Path, db_path: Path) -> dict:
    """The nightly flow against a running simulated web, as the demo runs it."""
    from flows.demo import write_demo_config
    from flows.nightly import nightly

    settings_file, sources_file = write_demo_config(web, db_path, directory)
    return nightly(db_path=str(db_path), sources_file=str(sources_file), settings_file=str(settings_file))


def rows(db_path: Path, sql: str, params: list | None = None) -> list[tuple]:
    from tasks import db

    with db.connect(db_path, read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


@pytest.fixture(scope="session")
def web():
    """The simulated web with the demo's faults, on ephemeral ports (shared: its one-off faults fire once)."""
    from flows.demo import DEMO_NOW
    from simweb import SimWeb

    with SimWeb(now=DEMO_NOW, faults="demo") as w:
        yield w


@pytest.fixture(scope="session")
def demo_db(web, prefect_harness, tmp_path_factory):
    """One nightly run shared by tests that only read its results (copy the file to change it)."""
    from flows.demo import DEMO_NOW
    from tasks import clock, progress

    tmp = tmp_path_factory.mktemp("nightly")
    clock.set_now(DEMO_NOW, ticking=True)
    try:
        with progress.listening(lambda *event: DEMO_PROGRESS.append(event)):
            summary = run_nightly(web, tmp, tmp / "news.duckdb")
    finally:
        clock.set_now(None)
    return tmp / "news.duckdb", summary


DEMO_PROGRESS: list[tuple[str, int, int | None]] = []  # (stage, done, total) reported by demo_db's run
