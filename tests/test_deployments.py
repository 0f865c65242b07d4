"""newsmon's deployments on a real Prefect server: `prefect deploy --all`, a process worker, runs through the API."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pytest

from tasks import db

if TYPE_CHECKING:
    from tests.prefect_server import Deployed, LoadedDatabase

pytest_plugins = ["tests.prefect_server"]
pytestmark = pytest.mark.slow


def rows(db_path, sql: str, params: list | None = None) -> list[tuple]:
    with db.connect(db_path, read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


# what prefect.yaml promises: deployment (named like its flow) -> entry point, cron or None, required parameters
DEPLOYMENTS = {
    "nightly": ("flows/nightly.py:nightly", "0 2 * * *", set()),
    "reprocess": ("flows/reprocess.py:reprocess", None, set()),
    "backfill": ("flows/backfill.py:backfill", None, {"start", "end"}),
}


def test_prefect_yaml_registers_every_deployment(deployed: Deployed):
    registered = deployed.server.api("POST", "/deployments/filter", {})
    assert sorted(d["name"] for d in registered) == sorted(DEPLOYMENTS)
    for name, (entrypoint, cron, required) in DEPLOYMENTS.items():
        dep = deployed.server.deployment(name)
        assert (dep["entrypoint"], dep["work_pool_name"]) == (entrypoint, deployed.pool)
        schedules = [s["schedule"] for s in dep["schedules"] if s["active"]]
        # NEWSMON_TZ when deploying sets the timezone
        assert schedules == ([{"cron": cron, "timezone": deployed.timezone, "day_or": True}] if cron else [])
        # deployed without NEWSMON_HOME: the worker fills in its own checkout when a run starts
        assert dep["pull_steps"] == [
            {"prefect.deployments.steps.set_working_directory": {"directory": "{{ $NEWSMON_HOME }}"}}
        ]
        # a parameter with a plain default is optional in the UI's form; a default_factory would make it required
        assert set(dep["parameter_openapi_schema"].get("required", [])) == required, name


def test_nightly_deployment_loads_the_simulated_web(served_web, nightly_loaded: LoadedDatabase):
    path = nightly_loaded.db_path
    expected = {t.canonical_url for t in served_web.truth() if t.expect_loaded}
    assert {url for (url,) in rows(path, "SELECT canonical_url FROM articles")} == expected
    # the pipeline's run record is keyed by the Prefect flow run that the worker started
    assert rows(path, "SELECT flow, status FROM runs WHERE run_id = ?", [nightly_loaded.flow_run["id"]]) == [
        ("nightly", "completed")
    ]


def test_reprocess_deployment_rebuilds_from_raw(deployed: Deployed, nightly_loaded: LoadedDatabase):
    path = nightly_loaded.db_path
    before = rows(path, "SELECT canonical_url, text_hash FROM articles ORDER BY 1")
    decided = rows(
        path,
        "SELECT count(*) FROM raw_pages JOIN urls USING (url) "
        "WHERE urls.status IN ('loaded', 'duplicate', 'irrelevant', 'no_text')",
    )[0][0]

    flow_run_id = deployed.server.launch(
        "reprocess", {"db_path": str(path), "settings_file": str(nightly_loaded.config.settings_file)}
    )
    deployed.server.wait_for_run(flow_run_id)

    [(status, counts)] = rows(path, "SELECT status, counts FROM runs WHERE run_id = ?", [flow_run_id])
    assert status == "completed"
    assert decided > 0 and json.loads(counts)["pages"] == decided
    # same code, same rules, same raw pages: the same articles
    assert rows(path, "SELECT canonical_url, text_hash FROM articles ORDER BY 1") == before


BACKFILL_START, BACKFILL_END = "2024-10-20", "2024-10-26"  # within the emulated GDELT DOC API's reach


def test_backfill_deployment_with_parameters(served_web, deployed: Deployed, tmp_path):
    """As the UI launches it: typed parameters through the API; articles of the range land in DuckDB."""
    from datetime import UTC, datetime

    path = tmp_path / "backfill.duckdb"
    settings = tmp_path / "newsmon.toml"
    from flows.demo import demo_settings_toml

    settings.write_text(demo_settings_toml(path), encoding="utf-8")
    server = deployed.server
    schema = server.deployment("backfill")["parameter_openapi_schema"]
    assert "gdelt-doc" in json.dumps(schema["definitions"]) and '"ko"' in json.dumps(schema["definitions"])
    flow_run_id = server.launch(
        "backfill",
        {"start": BACKFILL_START, "end": BACKFILL_END, "db_path": str(path), "settings_file": str(settings)},
    )
    server.wait_for_run(flow_run_id)

    lo, hi = datetime(2024, 10, 20, tzinfo=UTC), datetime(2024, 10, 27, tzinfo=UTC)
    expected = {t.canonical_url for t in served_web.truth() if t.expect_loaded and lo <= t.published < hi}
    assert expected
    assert {url for (url,) in rows(path, "SELECT canonical_url FROM articles")} == expected
    assert rows(path, "SELECT count(*) FROM backfill_windows")[0][0] == 7
    artifacts = server.api(
        "POST", "/artifacts/filter", {"artifacts": {"flow_run_id": {"any_": [flow_run_id]}}}
    )
    by_key = {a["key"]: a for a in artifacts}
    assert by_key["backfill-progress"]["data"] == 100.0
    assert "| 2024-10-26 | done |" in by_key["backfill-summary"]["data"]


def test_impossible_backfill_fails_at_once_with_a_plain_message(deployed: Deployed, tmp_path):
    server = deployed.server
    flow_run_id = server.launch(
        "backfill", {"start": "2024-10-26", "end": "2024-10-20", "db_path": str(tmp_path / "never.duckdb")}
    )
    with pytest.raises(Exception, match="(?i)failed"):
        server.wait_for_run(flow_run_id)
    run = server.api("GET", f"/flow_runs/{flow_run_id}")
    assert run["state"]["type"] == "FAILED"
    assert "before start date" in run["state"]["message"]
    # the run's own log says it too (logs reach the server in batches: wait for them)
    from tests.prefect_server import poll

    poll("the run's error log", lambda: "before start date" in server.run_logs(flow_run_id), 30)
    assert not (tmp_path / "never.duckdb").exists()


def test_cli_runs_log_to_the_prefect_server_and_stay_quiet_on_the_terminal(deployed: Deployed, tmp_path):
    """`newsmon run` against a Prefect server: its flow's info lines are in the UI, not on the terminal."""
    import subprocess
    import sys
    from pathlib import Path

    from flows.demo import DEMO_NOW, write_demo_config
    from simweb import SimWeb

    server = deployed.server
    db_path = tmp_path / "cli.duckdb"
    env = {k: v for k, v in server.env().items() if k != "PREFECT_LOGGING_LEVEL"}  # the CLI's own defaults
    newsmon = str(Path(sys.executable).with_name("newsmon"))
    with SimWeb(now=DEMO_NOW, faults=None) as web:
        settings_file, sources_file = write_demo_config(web, db_path, tmp_path)
        done = subprocess.run(
            [
                newsmon,
                "run",
                "--db",
                str(db_path),
                "--settings",
                str(settings_file),
                "--sources",
                str(sources_file),
            ],
            env={**env, "NEWSMON_NOW": DEMO_NOW.isoformat()},
            capture_output=True,
            text=True,
            timeout=600,
        )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "| INFO" not in done.stdout + done.stderr  # the terminal shows the summary, not log lines
    runs = server.api(
        "POST", "/flow_runs/filter", {"flow_runs": {"name": {}}, "sort": "START_TIME_DESC", "limit": 50}
    )
    [run] = [r for r in runs if r["parameters"].get("db_path") == str(db_path)]
    assert run["state_type"] == "COMPLETED"
    logs = server.run_logs(run["id"])
    assert f"run {rows(db_path, 'SELECT max(run_id) FROM runs')[0][0]} completed" in logs, logs
    assert "loaded a batch of" in logs, logs  # task runs' lines too
    artifacts = server.api("POST", "/artifacts/filter", {"artifacts": {"flow_run_id": {"any_": [run["id"]]}}})
    by_key = {a["key"]: a for a in artifacts}
    assert by_key["nightly-progress"]["type"] == "progress" and by_key["nightly-progress"]["data"] == 100.0
    assert "nightly-summary" in by_key
