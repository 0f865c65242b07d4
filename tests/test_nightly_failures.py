"""The nightly flow fails when no source is reachable, and attaches its summary as an artifact either way."""

from __future__ import annotations

import socket

import pytest

from flows.nightly import nightly
from tasks.summaries import NoSourceReachableError

from .conftest import rows

pytestmark = pytest.mark.usefixtures("prefect_harness")


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_nightly_without_any_reachable_source_ends_failed_with_a_summary_artifact(tmp_path):
    port = _closed_port()
    sources = tmp_path / "sources.toml"
    sources.write_text(
        f'[[source]]\nname = "dead-feed"\nkind = "rss"\nurl = "http://127.0.0.1:{port}/feed.xml"\ndelay = 0\n'
        f'language = "en"\n'
    )
    settings = tmp_path / "newsmon.toml"
    settings.write_text('[fetch]\nallow_networks = ["127.0.0.0/8"]\nmax_retries = 0\ntimeout = 2\n')
    db_path = tmp_path / "news.duckdb"
    state = nightly(
        db_path=str(db_path), sources_file=str(sources), settings_file=str(settings), return_state=True
    )
    assert state.is_failed()
    with pytest.raises(NoSourceReachableError, match="dead-feed"):
        state.result()
    assert rows(db_path, "SELECT status FROM runs") == [("failed",)]

    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey

    async def summary():
        async with get_client() as client:
            found = await client.read_artifacts(
                artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=["nightly-summary"]))
            )
            return [a for a in found if str(a.flow_run_id) == str(state.state_details.flow_run_id)]

    import asyncio

    artifacts = asyncio.run(summary())
    assert artifacts and "dead-feed" in artifacts[0].data and str(db_path) in artifacts[0].data
