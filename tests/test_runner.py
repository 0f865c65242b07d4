"""Process batches on a Dask cluster of two worker processes (local, or an existing one given by its address) give
exactly a serial run's results."""

from __future__ import annotations

import pytest

from flows.demo import DEMO_NOW, write_demo_config
from flows.nightly import nightly
from tasks import clock

from .conftest import rows

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("prefect_harness")]

TABLES = {
    "articles": "SELECT article_id, canonical_url, title, text_hash, language, template_version FROM articles",
    "sightings": "SELECT url, article_id, kind FROM sightings",
    "boilerplate_removed": "SELECT article_id, position, rule, snippet FROM boilerplate_removed",
    "urls": "SELECT url, status, reason, article_id FROM urls",
}


def _run(web, directory, runner: str, address: str = "") -> dict:
    directory.mkdir()
    db_path = directory / "news.duckdb"
    settings_file, sources_file = write_demo_config(web, db_path, directory)
    with settings_file.open("a", encoding="utf-8") as fh:
        fh.write(
            f'\n[pipeline]\nprocess_batch_size = 7\n\n[runner]\nkind = "{runner}"\nworkers = 2\nmin_batches = 1\n'
            "flow_helps = false\n"  # every batch goes to the cluster, however slowly it starts'
        )
    summary = nightly(db_path=str(db_path), sources_file=str(sources_file), settings_file=str(settings_file))
    assert bool(summary["counts"].get("batches_on_cluster")) == (runner == "dask")
    return {name: sorted(rows(db_path, sql), key=repr) for name, sql in TABLES.items()}


def test_dask_cluster_run_equals_serial_run(tmp_path):
    from simweb import SimWeb

    clock.set_now(DEMO_NOW, ticking=True)
    try:
        with SimWeb(now=DEMO_NOW, faults=None) as web:
            serial = _run(web, tmp_path / "serial", "serial")
        with SimWeb(now=DEMO_NOW, faults=None) as web:
            on_dask = _run(web, tmp_path / "dask", "dask")
        # an existing cluster, as another machine's scheduler would be given: by its address
        from distributed import LocalCluster

        with LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
        ) as cluster, SimWeb(now=DEMO_NOW, faults=None) as web:
            on_cluster = _run(web, tmp_path / "cluster", "dask", cluster.scheduler_address)
    finally:
        clock.set_now(None)
    assert len(serial["articles"]) > 20
    # URLs carry the simulated web's ephemeral ports: compare what each run decided, port aside
    for other in (on_dask, on_cluster):
        assert len(other["articles"]) == len(serial["articles"])
        for name in TABLES:
            assert _portless(other, name) == _portless(serial, name), name


def _portless(tables: dict, name: str) -> list[tuple]:
    """Rows with URLs stripped of the web's ephemeral port and article ids (hashes of URLs) named by their URL."""
    import re

    def plain(value):
        return re.sub(r"(127\.0\.0\.\d+):\d+", r"\1", value) if isinstance(value, str) else value

    by_id = {row[0]: plain(row[1]) for row in tables["articles"]}
    return sorted((tuple(by_id.get(v, plain(v)) for v in row) for row in tables[name]), key=repr)
