"""`newsmon query` reads the database only, unless --allow-files."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from flows.cli import app
from tasks import db

runner = CliRunner()

pytestmark = pytest.mark.timeout(60)  # bounded in time


@pytest.fixture()
def small_db(tmp_path: Path) -> Path:
    path = tmp_path / "news.duckdb"
    with db.connect(path) as con:
        db.migrate(con)
        con.execute(
            "INSERT INTO runs (run_id, flow, started_at, status) VALUES ('r1', 'nightly', now(), 'completed')"
        )
    return path


def _attacks(tmp_path: Path) -> list[str]:
    secret = tmp_path / "secret.txt"
    secret.write_text("secret,1\n")
    return [
        f"COPY (SELECT * FROM runs) TO '{tmp_path / 'out.csv'}'",
        f"SELECT * FROM read_text('{secret}')",
        f"SELECT * FROM read_csv('{secret}')",
        f"SELECT * FROM '{secret}'",
        f"ATTACH '{tmp_path / 'other.duckdb'}' AS o",
        "INSTALL httpfs",
        f"LOAD '{tmp_path / 'evil.duckdb_extension'}'",
        "SET enable_external_access = true",
        "RESET enable_external_access",
        f"SET temp_directory = '{tmp_path / 'spill'}'",
        f"EXPORT DATABASE '{tmp_path / 'export'}'",
        f"SELECT 1; COPY (SELECT 1) TO '{tmp_path / 'second.csv'}'",
        f"SELECT * FROM glob('{tmp_path}/*')",
    ]


def test_query_refuses_file_access_and_config_changes(small_db: Path, tmp_path: Path):
    attacks = _attacks(tmp_path)
    before = sorted(p.name for p in tmp_path.iterdir())
    for sql in attacks:
        result = runner.invoke(app, ["query", sql, "--db", str(small_db)])
        assert result.exit_code == 1, (sql, result.output)
        assert "Error" in result.output and "secret,1" not in result.output, sql
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # nothing written


def test_query_still_reads_the_database(small_db: Path):
    result = runner.invoke(app, ["query", "SELECT run_id, status FROM runs", "--db", str(small_db)])
    assert result.exit_code == 0, result.output
    assert "r1" in result.output and "completed" in result.output


def test_allow_files_lets_an_analyst_export(small_db: Path, tmp_path: Path):
    out = tmp_path / "runs.csv"
    result = runner.invoke(
        app,
        [
            "query",
            f"COPY (SELECT run_id FROM runs) TO '{out}' (HEADER)",
            "--db",
            str(small_db),
            "--allow-files",
        ],
    )
    assert result.exit_code == 0, result.output
    assert out.read_text().split() == ["run_id", "r1"]
