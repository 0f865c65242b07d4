"""A real Prefect server, work pool, deployments and worker for the slow tests, all on loopback.

Everything runs as an operator runs it (the `prefect` CLI, `prefect.yaml`, a process worker), in its own
PREFECT_HOME under the session's temp dir. Processes start in their own session so that stopping one also stops
what it spawned (the worker's flow run processes). Waits poll the REST API with generous deadlines: on two cores
a cold server needs 25-30 s and a deployment run ~12 s before its flow body even starts.

Test modules get the session fixtures at the bottom with `pytest_plugins = ["tests.prefect_server"]`, and reach
the helpers through them (importing this module as well would stop pytest from rewriting its asserts).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests

ROOT = Path(__file__).resolve().parent.parent
PREFECT = str(Path(sys.executable).with_name("prefect"))
POOL = "newsmon"
DEPLOY_TZ = "Asia/Seoul"  # anything but UTC, so a test can see NEWSMON_TZ reach the schedule

SERVER_START_TIMEOUT = 150.0
CLI_TIMEOUT = 180.0
WORKER_READY_TIMEOUT = 90.0
RUN_TIMEOUT = 180.0
FINAL_STATES = {"COMPLETED", "FAILED", "CRASHED", "CANCELLED"}
# a busy server answers 503 ("database is locked") and the failed request changed nothing, so it can be repeated
RETRY_STATUSES = {429, 502, 503}
API_RETRY_DELAYS = (0.5, 1.0, 2.0, 4.0, 8.0, 8.0)


class PrefectProcessError(RuntimeError):
    """A server, worker, CLI call or flow run failed; the message carries the end of its log."""


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def tail(path: Path, lines: int = 40) -> str:
    try:
        return "\n".join(path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
    except FileNotFoundError:
        return "(no log)"


def poll(what: str, check: Callable[[], Any], timeout: float, interval: float = 0.5) -> Any:
    """Call `check` until it returns something truthy; raise TimeoutError naming `what` after `timeout` s."""
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what}: not after {timeout:.0f} s")
        time.sleep(interval)


def prefect_env(home: Path, port: int, **extra: str) -> dict[str, str]:
    """The environment of a `prefect` process that talks to the server on `port`, and nothing from the caller's
    Prefect or newsmon settings (a developer's NEWSMON_HOME must not leak into what `deploy` records)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "NEWSMON_"))}
    env.update(
        PREFECT_HOME=str(home),
        PREFECT_API_URL=f"http://127.0.0.1:{port}/api",
        PREFECT_SERVER_ANALYTICS_ENABLED="false",
        PREFECT_SERVER_UI_SHOW_PROMOTIONAL_CONTENT="false",
        # the classic UI at `/`: the one test_ui drives
        PREFECT_SERVER_UI_V2_ENABLED="false",
        # no scheduled nightly may start while tests run, whatever the hour
        PREFECT_SERVER_SERVICES_SCHEDULER_ENABLED="false",
        PREFECT_WORKER_QUERY_SECONDS="1",
        PREFECT_LOGGING_LEVEL="INFO",
    )
    env.update(extra)
    return env


# Started from a background shell job, pytest and its children inherit SIGINT ignored, and Prefect's server and
# worker stop gracefully only on SIGINT (the worker turns SIGTERM into SIGINT): reset it before exec.
_WITH_SIGINT = "import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); os.execv(sys.argv[1], sys.argv[1:])"


def spawn(args: list[str], env: dict[str, str], log: Path) -> subprocess.Popen:
    """Start `args` in a new session (its own process group), output appended to `log`."""
    with log.open("ab") as out:
        return subprocess.Popen(
            [sys.executable, "-c", _WITH_SIGINT, *args],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def stop_process(process: subprocess.Popen, timeout: float = 20.0) -> None:
    """SIGINT to the process's group (Prefect's graceful stop), then SIGKILL to whatever is left in it."""
    if process.poll() is None:
        with suppress(subprocess.TimeoutExpired, ProcessLookupError):
            os.killpg(process.pid, signal.SIGINT)
            process.wait(timeout=timeout)
    with suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=timeout)


@dataclass(frozen=True)
class PrefectServer:
    home: Path
    port: int
    log: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def api_url(self) -> str:
        return f"{self.url}/api"

    def env(self, **extra: str) -> dict[str, str]:
        return prefect_env(self.home, self.port, **extra)

    def api(self, method: str, path: str, json: Any = None, timeout: float = 30.0) -> Any:
        """One REST call, retried like Prefect's own client does when the server's SQLite is busy (503).

        A read (GET) that times out is asked again too: on a loaded machine the server can sit on one request
        longer than the timeout while a flow run writes its states and logs. Writes are not repeated blindly.
        """
        for delay in (*API_RETRY_DELAYS, None):
            try:
                response = requests.request(method, f"{self.api_url}{path}", json=json, timeout=timeout)
            except (requests.Timeout, requests.ConnectionError):
                if method != "GET" or delay is None:
                    raise
                time.sleep(delay)
                continue
            if response.status_code not in RETRY_STATUSES or delay is None:
                break
            time.sleep(delay)
        if response.status_code >= 400:
            raise PrefectProcessError(f"{method} {path}: {response.status_code} {response.text[:500]}")
        return response.json() if response.content else None

    def cli(self, *args: str, log: Path | None = None, **env: str) -> str:
        """One non-interactive `prefect` CLI call, run from the checkout; returns its output, raises with it."""
        done = subprocess.run(
            [PREFECT, "--no-prompt", *args],
            cwd=ROOT,
            env=self.env(**env),
            capture_output=True,
            text=True,
            timeout=CLI_TIMEOUT,
        )
        output = done.stdout + done.stderr
        if log is not None:
            with log.open("a", encoding="utf-8") as f:
                f.write(f"$ prefect {' '.join(args)}\n{output}\n")
        if done.returncode != 0:
            raise PrefectProcessError(
                f"prefect {' '.join(args)} exited with {done.returncode}:\n{output[-4000:]}"
            )
        return output

    def deployment(self, flow_name: str, name: str | None = None) -> dict:
        return self.api("GET", f"/deployments/name/{flow_name}/{name or flow_name}")

    def launch(self, flow_name: str, parameters: dict[str, Any]) -> str:
        """A run of the deployment named like its flow, as `prefect deployment run` creates it; its id."""
        deployment_id = self.deployment(flow_name)["id"]
        return self.api("POST", f"/deployments/{deployment_id}/create_flow_run", {"parameters": parameters})[
            "id"
        ]

    def run_logs(self, flow_run_id: str) -> str:
        logs = self.api(
            "POST",
            "/logs/filter",
            {"logs": {"flow_run_id": {"any_": [flow_run_id]}}, "sort": "TIMESTAMP_ASC", "limit": 200},
        )
        return "\n".join(f"{entry['level']:>3} {entry['message']}" for entry in logs)

    def wait_for_run(self, flow_run_id: str, timeout: float = RUN_TIMEOUT) -> dict:
        """Poll the run until it reaches a final state; raise with its logs unless that state is Completed."""

        def final() -> dict | None:
            run = self.api("GET", f"/flow_runs/{flow_run_id}")
            return run if run["state_type"] in FINAL_STATES else None

        try:
            run = poll(f"flow run {flow_run_id} to finish", final, timeout)
        except TimeoutError as exc:
            state = self.api("GET", f"/flow_runs/{flow_run_id}")["state_name"]
            raise PrefectProcessError(f"{exc} (still {state})\n{self.run_logs(flow_run_id)}") from None
        if run["state_type"] != "COMPLETED":
            raise PrefectProcessError(
                f"flow run {run['name']} ended {run['state_name']}: {run['state']['message']}\n"
                f"{self.run_logs(flow_run_id)}"
            )
        return run


@contextmanager
def running_server(directory: Path) -> Iterator[PrefectServer]:
    """`prefect server start` on a free loopback port with its own PREFECT_HOME; stopped on exit."""
    home = directory / "prefect-home"
    home.mkdir(parents=True, exist_ok=True)
    server = PrefectServer(home, free_port(), directory / "server.log")
    process = spawn(
        [PREFECT, "server", "start", "--host", "127.0.0.1", "--port", str(server.port)],
        server.env(),
        server.log,
    )
    try:

        def healthy() -> bool:
            if process.poll() is not None:
                raise PrefectProcessError(
                    f"prefect server exited with {process.returncode}:\n{tail(server.log)}"
                )
            try:
                return requests.get(f"{server.api_url}/health", timeout=2).status_code == 200
            except requests.RequestException:
                return False

        try:
            poll("prefect server to answer /api/health", healthy, SERVER_START_TIMEOUT)
        except TimeoutError as exc:
            raise PrefectProcessError(f"{exc}\n{tail(server.log)}") from None
        yield server
    finally:
        stop_process(process)


@contextmanager
def running_worker(server: PrefectServer, pool: str, log: Path, **env: str) -> Iterator[subprocess.Popen]:
    """A process worker for `pool`, started as a service manager would start it; stopped on exit."""
    process = spawn([PREFECT, "worker", "start", "--pool", pool, "--type", "process"], server.env(**env), log)
    try:
        yield process
    finally:
        stop_process(process)


def wait_for_worker(server: PrefectServer, pool: str, worker: subprocess.Popen, log: Path) -> None:
    def ready() -> bool:
        if worker.poll() is not None:
            raise PrefectProcessError(f"worker exited with {worker.returncode}:\n{tail(log)}")
        return server.api("GET", f"/work_pools/{pool}")["status"] == "READY"

    try:
        poll(f"work pool {pool} to have a worker", ready, WORKER_READY_TIMEOUT)
    except TimeoutError as exc:
        raise PrefectProcessError(f"{exc}\n{tail(log)}") from None


# --- session fixtures: one server for every slow test ------------------------------------------------------


@dataclass(frozen=True)
class DemoConfig:
    """Settings and sources files that point the pipeline at the session's simulated web, and its database."""

    settings_file: Path
    sources_file: Path
    db_path: Path


@dataclass(frozen=True)
class Deployed:
    """A running server with newsmon's deployments (from prefect.yaml) and a worker polling their pool."""

    server: PrefectServer
    directory: Path  # logs: server.log, worker.log, cli.log
    pool: str = POOL
    timezone: str = DEPLOY_TZ


@dataclass(frozen=True)
class LoadedDatabase:
    """The database that a `nightly` deployment run filled from the simulated web, and that run."""

    config: DemoConfig
    flow_run: dict

    @property
    def db_path(self) -> Path:
        return self.config.db_path


@pytest.fixture(scope="session")
def served_web() -> Iterator[Any]:
    """A simulated web of its own, so its one-off faults fire during the deployment run and nowhere else."""
    from flows.demo import DEMO_NOW
    from simweb import SimWeb

    with SimWeb(now=DEMO_NOW, faults="demo", services=True) as web:
        yield web


@pytest.fixture(scope="session")
def served_config(served_web: Any, tmp_path_factory: pytest.TempPathFactory) -> DemoConfig:
    from flows.demo import write_demo_config

    directory = tmp_path_factory.mktemp("demo-config")
    db_path = directory / "news.duckdb"
    settings_file, sources_file = write_demo_config(served_web, db_path, directory)
    return DemoConfig(settings_file, sources_file, db_path)


@pytest.fixture(scope="session")
def deployed(served_config: DemoConfig, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Deployed]:
    directory = tmp_path_factory.mktemp("prefect")
    cli_log, worker_log = directory / "cli.log", directory / "worker.log"
    # a flow that builds parameter enums from the sources as it loads (backfill) reads them from this file,
    # both when `deploy` writes its form and when a run starts
    sources = {"NEWSMON_SOURCES_FILE": str(served_config.sources_file)}
    # the flows' clock is the simulated web's: a backfill may not ask for days after "now", and the emulated
    # GDELT DOC API answers for the three months before it
    from flows.demo import DEMO_NOW

    sources["NEWSMON_NOW"] = DEMO_NOW.isoformat()
    with ExitStack() as stack:
        server = stack.enter_context(running_server(directory))
        server.cli("work-pool", "create", POOL, "--type", "process", log=cli_log)
        # NEWSMON_HOME only where runs start: `deploy` keeps the placeholder when it is unset
        worker = stack.enter_context(
            running_worker(server, POOL, worker_log, NEWSMON_HOME=str(ROOT), **sources)
        )
        server.cli(
            "deploy", "--all", log=cli_log, NEWSMON_TZ=DEPLOY_TZ, **sources
        )  # meanwhile the worker starts
        wait_for_worker(server, POOL, worker, worker_log)
        yield Deployed(server, directory)


@pytest.fixture(scope="session")
def nightly_loaded(deployed: Deployed, served_config: DemoConfig) -> LoadedDatabase:
    """One `nightly` deployment run against the simulated web, launched through the API like any other run."""
    flow_run_id = deployed.server.launch(
        "nightly",
        {
            "db_path": str(served_config.db_path),
            "sources_file": str(served_config.sources_file),
            "settings_file": str(served_config.settings_file),
        },
    )
    return LoadedDatabase(served_config, deployed.server.wait_for_run(flow_run_id))
