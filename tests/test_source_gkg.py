"""GDELT GKG 15-minute files against their emulation: row filtering, resumable progress, listings, faults."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from simweb import SimWeb
from tasks.models import Source
from tasks.sources.gkg import GkgSource
from tasks.sources.gkgfile import COLUMNS, TOPIC_FILTER, GkgFilter, parse_master_list, parse_row
from tasks.sources.service import ServiceFetcher
from tasks.sources.state import SourceState
from tasks.sources.window import Window

from .services_support import NOW, service_fetcher, service_policy, services_web

POLICY = service_policy(max_retries=1)
# 11:40 to 18:35 UTC: the Duma's vote reported in English, Indonesian, Spanish, Russian and Chinese
RATIFICATION_DAY = Window(datetime(2024, 10, 24, 6, tzinfo=UTC), datetime(2024, 10, 24, 19, tzinfo=UTC))
PACT_MORNING = Window(datetime(2024, 6, 19, tzinfo=UTC), datetime(2024, 6, 19, 15, tzinfo=UTC))


@pytest.fixture(scope="module")
def web() -> Iterator[SimWeb]:
    with services_web() as w:
        yield w


@pytest.fixture
def services(web):
    web.services.clear_requests()
    yield web.services
    web.services.clear_faults()


@pytest.fixture(scope="module")
def fetcher() -> Iterator[ServiceFetcher]:
    with service_fetcher(POLICY, max_bytes=50_000_000) as f:
        yield f


def gkg_source(web: SimWeb) -> Source:
    return Source("gdelt-gkg", "gkg", web.service_urls["gkg"], delay=0.0)


def file_requests(services) -> list[str]:
    return [e.path.rsplit("/", 1)[1] for e in services.requests if e.path.endswith(".zip")]


def row(**columns: str) -> str:
    fields = [""] * COLUMNS
    fields[2], fields[4] = "1", "https://a.example/story.html"
    for index, value in columns.items():
        fields[int(index[1:])] = value
    return "\t".join(fields) + "\n"


# --- which files ----------------------------------------------------------------------------------


def test_direct_names_cover_every_slot_of_the_window_in_both_streams(web, services, fetcher):
    hour = Window(datetime(2024, 10, 24, 10, 5, tzinfo=UTC), datetime(2024, 10, 24, 11, 5, tzinfo=UTC))
    result = GkgSource().discover(gkg_source(web), hour, fetcher, now=NOW)
    assert file_requests(services) == [
        f"20241024{hhmm}00.{stream}"
        for hhmm in ("1015", "1030", "1045", "1100")
        for stream in ("gkg.csv.zip", "translation.gkg.csv.zip")
    ]
    assert result.finished == file_requests(services) and result.errors == []


def test_slots_after_now_are_not_asked_for(web, services, fetcher):
    late = Window(NOW - timedelta(minutes=30), NOW + timedelta(hours=2))
    result = GkgSource(streams=["gkg"]).discover(gkg_source(web), late, fetcher, now=NOW)
    assert file_requests(services) == ["20241130053000.gkg.csv.zip", "20241130054500.gkg.csv.zip"]
    assert result.stats["files_missing"] == 2  # no stories that day: the emulation has no files for it


# --- filtering ------------------------------------------------------------------------------------


def test_only_topic_rows_with_web_urls_become_candidates(web, services, fetcher):
    result = GkgSource().discover(gkg_source(web), RATIFICATION_DAY, fetcher, now=NOW)

    expected = web.services.gkg.expected_documents(RATIFICATION_DAY.start, RATIFICATION_DAY.end)
    assert {c.url for c in result.candidates} == expected and len(expected) >= 5
    stories = {s.url: s for s in web.services.gkg.corpus.stories}
    for candidate in result.candidates:
        story = stories[candidate.url]
        assert candidate.title == story.title and candidate.language == story.language
        assert candidate.published == story.published and candidate.source == "gdelt-gkg"
    stats = result.stats
    assert stats["files"] == 104 and stats["rows"] > 20 * stats["rows_kept"]
    assert stats["rows_kept"] == len(expected)
    assert stats["rows_not_web"] == 104  # one citation-only record about the topic in every file
    assert stats["rows_malformed"] == 6 and any("malformed rows" in n for n in result.notes)
    assert stats["files_per_s"] > 0 and stats["rows_per_s"] > 0


def test_off_topic_stories_mention_only_one_side_and_are_left_out(web, services, fetcher):
    result = GkgSource().discover(gkg_source(web), PACT_MORNING, fetcher, now=NOW)
    off_topic = {s.url for s in web.services.gkg.corpus.stories if not s.on_topic}
    assert result.candidates and not off_topic & {c.url for c in result.candidates}


def test_every_filter_group_must_match():
    both = parse_row(
        row(c10="1#Russia#RS#RS##60#100#RS#12;1#North Korea#KN#KN##40#127#KN#40", c12="Vladimir Putin,5")
    )
    russia_only = parse_row(row(c10="1#Russia#RS#RS##60#100#RS#12", c12="Vladimir Putin,5"))
    by_persons = parse_row(row(c11="vladimir putin;kim jong-un"))
    assert both and russia_only and by_persons
    assert TOPIC_FILTER.matches(both) and TOPIC_FILTER.matches(by_persons)
    assert not TOPIC_FILTER.matches(russia_only)

    military = GkgFilter.from_options(
        {
            "russia": {"countries": ["rs"]},
            "north_korea": {"countries": ["KN"]},
            "military": {"themes": ["MILITARY*"]},
        }
    )
    assert not military.matches(both)
    assert military.matches(parse_row(row(c10="1#Russia#RS;1#North Korea#KN", c8="MILITARY_FORCES,10;")))
    assert parse_row("too\tfew\tcolumns\n") is None


# --- resuming ------------------------------------------------------------------------------------------


def test_progress_is_per_file_and_a_second_run_skips_what_is_done(web, services, fetcher):
    first = GkgSource(max_files=60).discover(gkg_source(web), RATIFICATION_DAY, fetcher, now=NOW)
    assert len(first.finished) == 60 and any("left for a later run" in n for n in first.notes)

    services.clear_requests()
    second = GkgSource().discover(
        gkg_source(web), RATIFICATION_DAY, fetcher, now=NOW, done=set(first.finished)
    )
    assert len(second.finished) == 44 and not set(first.finished) & set(second.finished)
    assert set(file_requests(services)) == set(second.finished)
    assert any("60 files already done" in n for n in second.notes)
    found = {c.url for c in first.candidates} | {c.url for c in second.candidates}
    assert found == web.services.gkg.expected_documents(RATIFICATION_DAY.start, RATIFICATION_DAY.end)


def test_files_missing_on_the_server_are_done_not_failed(web, services, fetcher):
    quiet_morning = Window(datetime(2024, 6, 22, tzinfo=UTC), datetime(2024, 6, 22, 6, tzinfo=UTC))
    result = GkgSource().discover(gkg_source(web), quiet_morning, fetcher, now=NOW)
    assert result.errors == [] and result.candidates == []
    assert len(result.finished) == 48 and result.stats["files_missing"] == 48


# --- the master file list ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def early_web() -> Iterator[SimWeb]:
    """A web whose clock stands the day after the signing: a short master list."""
    with SimWeb(now=datetime(2024, 6, 20, 12, tzinfo=UTC), faults=None, services=True) as w:
        yield w


def test_master_list_names_files_with_size_and_md5_that_are_checked(early_web, fetcher):
    source = Source("gdelt-gkg", "gkg", early_web.service_urls["gkg"], delay=0.0)
    result = GkgSource(listing="master").discover(source, PACT_MORNING, fetcher, now=early_web.now)
    assert result.errors == [] and len(result.finished) == 2 * 60
    expected = early_web.services.gkg.expected_documents(PACT_MORNING.start, PACT_MORNING.end)
    assert {c.url for c in result.candidates} == expected

    first_file = "/gdeltv2/20240619000000.gkg.csv.zip"
    early_web.services.set_fault("gkg", first_file, "malformed")
    try:
        hour = Window(PACT_MORNING.start, PACT_MORNING.start + timedelta(hours=1))
        broken = GkgSource(listing="master").discover(source, hour, fetcher, now=early_web.now)
    finally:
        early_web.services.clear_faults()
    assert broken.errors == ["gkg 20240619000000.gkg.csv.zip: MD5 differs from the master file list"]
    assert "20240619000000.gkg.csv.zip" not in broken.finished and len(broken.finished) == 7


def test_master_list_lines_are_filtered_by_stream():
    text = (
        "150383 297a16b493de7cf6ca809a7cc31d0b93 http://data.gdeltproject.org/gdeltv2/20240619000000.export.CSV.zip\n"
        "318084 bb27f78ba45f69a17ea6ed7755e9f8ff http://data.gdeltproject.org/gdeltv2/20240619000000.mentions.CSV.zip\n"
        "10768507 ea8dde0beb0ba98810a92db068c0ce99 http://data.gdeltproject.org/gdeltv2/20240619000000.gkg.csv.zip\n"
        "garbage line\n"
    )
    files = list(parse_master_list(text, "gkg"))
    assert [(f.name, f.size, f.md5) for f in files] == [
        ("20240619000000.gkg.csv.zip", 10768507, "ea8dde0beb0ba98810a92db068c0ce99")
    ]
    assert list(parse_master_list(text, "translation")) == []


# --- faults ---------------------------------------------------------------------------------------------


def test_a_failing_file_is_an_error_and_not_finished(web, services, fetcher):
    services.set_fault("gkg", "/gdeltv2/20241024103000.translation.gkg.csv.zip", "500")
    services.set_fault("gkg", "/gdeltv2/20241024104500.gkg.csv.zip", "malformed")
    hour = Window(datetime(2024, 10, 24, 10, tzinfo=UTC), datetime(2024, 10, 24, 11, tzinfo=UTC))
    result = GkgSource().discover(gkg_source(web), hour, fetcher, now=NOW)
    assert len(result.errors) == 2 and "http_500" in result.errors[0] and "zip" in result.errors[1]
    assert len(result.finished) == 6
    assert "20241024103000.translation.gkg.csv.zip" not in result.finished


def test_a_run_stops_after_too_many_failures_in_a_row(web, services, fetcher):
    for name in ("20241024000000.gkg.csv.zip", "20241024000000.translation.gkg.csv.zip"):
        services.set_fault("gkg", f"/gdeltv2/{name}", "500")
    day = Window(datetime(2024, 10, 24, tzinfo=UTC), datetime(2024, 10, 25, tzinfo=UTC))
    result = GkgSource(max_consecutive_errors=2).discover(gkg_source(web), day, fetcher, now=NOW)
    assert result.finished == [] and len(file_requests(services)) == 2 * 2  # one retry each
    assert result.errors[-1] == "gkg: stopped after 2 failed files in a row"


# --- the source protocol -----------------------------------------------------------------------------


def test_stream_hands_candidates_over_file_by_file_and_keeps_progress_in_its_state(web, services, fetcher):
    source = GkgSource.from_config(gkg_source(web))
    state = SourceState()
    stream = source.stream(RATIFICATION_DAY, fetcher, state, now=NOW)
    first = next(stream)
    read_so_far = len(file_requests(services))
    rest = list(stream)
    assert first.url and read_so_far < len(file_requests(services))  # the first came before the last file
    whole = GkgSource().discover(gkg_source(web), RATIFICATION_DAY, fetcher, now=NOW)
    assert [c.url for c in [first, *rest]] == [c.url for c in whole.candidates]
    assert state.done == set(whole.finished) and state.finished == whole.finished

    services.clear_requests()
    again = SourceState(done=set(state.finished))
    assert list(source.stream(RATIFICATION_DAY, fetcher, again, now=NOW)) == []
    assert file_requests(services) == [] and again.finished == []
