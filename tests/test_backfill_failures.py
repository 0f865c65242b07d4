"""Failures are never recorded as done: a backfill without network finishes no window and fails; the next one,
with the sources back, finishes every window."""

from __future__ import annotations

from datetime import date

import pytest
import requests
from requests.adapters import HTTPAdapter

from flows.demo import run_demo_backfill
from tasks.summaries import BackfillFailedError

from .conftest import rows
from .test_backfill import PORT

pytestmark = pytest.mark.usefixtures("prefect_harness")

START, END = date(2024, 6, 19), date(2024, 6, 20)


def test_no_network_backfill_finishes_no_window_then_the_rerun_completes(tmp_path, monkeypatch):
    path = tmp_path / "news.duckdb"
    real_send = HTTPAdapter.send

    def no_network(self, request, *args, **kwargs):
        raise requests.ConnectionError(f"network is unreachable: {request.url}")

    monkeypatch.setattr(HTTPAdapter, "send", no_network)
    with pytest.raises(BackfillFailedError, match="every window failed"):
        run_demo_backfill(path, START, END, port=PORT)
    assert rows(path, "SELECT count(*) FROM backfill_windows")[0][0] == 0
    failed_runs = rows(path, "SELECT status, error FROM runs WHERE flow = 'backfill'")
    assert [status for status, _ in failed_runs] == ["failed"]

    monkeypatch.setattr(HTTPAdapter, "send", real_send)
    summary = run_demo_backfill(path, START, END, port=PORT)
    assert summary["failed_windows"] == []
    assert summary["counts"]["resumed"] == 0  # the failed windows were asked again
    assert rows(path, "SELECT count(*) FROM backfill_windows")[0][0] == 2
    assert summary["counts"]["loaded"] > 0


def test_a_window_with_a_failed_source_is_retried(tmp_path, monkeypatch):
    """Some windows fail (one source down on the first day): the run completes, lists them, and the next
    backfill asks those windows again, only the failed source, while skipping the finished windows."""
    import tasks.search as search

    path = tmp_path / "news.duckdb"
    real = search.search_window

    def gdelt_down_on_the_first_day(sources, window, *args, **kwargs):
        found = real(sources, window, *args, **kwargs)
        if window.start.date() == START:
            found.failed["gdelt-doc"] = "503 Service Unavailable"
        return found

    monkeypatch.setattr(search, "search_window", gdelt_down_on_the_first_day)
    summary = run_demo_backfill(path, START, END, port=PORT)
    assert [line.split(":")[0] for line in summary["failed_windows"]] == ["2024-06-19"]
    assert "gdelt-doc (503 Service Unavailable)" in summary["failed_windows"][0]
    assert [str(d)[:10] for (d,) in rows(path, "SELECT window_start FROM backfill_windows")] == ["2024-06-20"]

    answered = rows(
        path, "SELECT source FROM backfill_window_sources WHERE window_start::DATE = '2024-06-19'"
    )
    assert "gdelt-doc" not in {s for (s,) in answered} and len(answered) >= 2

    asked: list[list[str]] = []

    def recording(sources, window, *args, **kwargs):
        asked.append(sorted(s.name for s in sources))
        return real(sources, window, *args, **kwargs)

    monkeypatch.setattr(search, "search_window", recording)
    again = run_demo_backfill(path, START, END, port=PORT)
    assert again["counts"]["resumed"] == 1 and again["failed_windows"] == []
    assert asked == [["gdelt-doc"]]  # only the source that failed, only for the window it failed
    assert rows(path, "SELECT count(*) FROM backfill_windows")[0][0] == 2
    assert rows(path, "SELECT count(*) FROM backfill_window_sources WHERE source = 'gdelt-doc'")[0][0] == 2
