"""GDELT DOC 2.0 API against its emulation: the cap and window splits, pacing, plain-text errors, reach."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest

from simweb import SimWeb
from simweb.services.gdelt import RATE_LIMIT_TEXT
from tasks.models import Source
from tasks.relevance.topic import load_topic
from tasks.sources import build_source
from tasks.sources.gdelt import GdeltDocSource, GdeltError, parse_artlist
from tasks.sources.service import Pacer, ServiceFetcher
from tasks.sources.window import Window

from .services_support import NOW, service_fetcher, service_policy, services_web

POLICY = service_policy(max_retries=2)
TOPIC = load_topic()
AUTUMN = Window(datetime(2024, 10, 1, tzinfo=UTC), datetime(2024, 12, 1, tzinfo=UTC))
SINCE_THE_PACT = Window(datetime(2024, 6, 1, tzinfo=UTC), datetime(2024, 12, 1, tzinfo=UTC))
DOC_PATH = "/api/v2/doc/doc"


class FakeClock:
    """A monotonic clock that only moves when the code under test sleeps."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(round(seconds, 6))
        self.now += seconds


@pytest.fixture(scope="module")
def web() -> Iterator[SimWeb]:
    with services_web() as w:
        yield w


@pytest.fixture
def services(web):
    web.services.clear_requests()
    yield web.services
    web.services.clear_faults()
    web.services.gdelt.min_interval = 0.0


@pytest.fixture(scope="module")
def fetcher() -> Iterator[ServiceFetcher]:
    with service_fetcher(POLICY) as f:
        yield f


def gdelt_source(web: SimWeb, language: str | None = None) -> Source:
    return Source("gdelt-doc", "gdelt", web.service_urls["gdelt"], language, delay=0.0)


def source(**options) -> GdeltDocSource:
    options.setdefault("min_interval", 0.0)
    return GdeltDocSource(TOPIC, **options)


def doc_requests(services) -> list[dict[str, str]]:
    return [
        {k: v[0] for k, v in parse_qs(urlsplit(e.path).query).items()}
        for e in services.requests
        if urlsplit(e.path).path == DOC_PATH
    ]


def expected_urls(web: SimWeb, window: Window, languages=None) -> set[str]:
    return {
        s.url
        for language in (languages or TOPIC.languages)
        for s in web.services.gdelt.articles(language, window.start, window.end)
    }


# --- requests, results and the cap -----------------------------------------------------------------


def test_request_asks_artlist_json_for_the_window_in_one_language():
    url = source().request_url(
        "https://api.gdeltproject.org/api/v2/doc/doc", "Russia sourcelang:korean", AUTUMN
    )
    params = {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}
    assert params == {
        "query": "Russia sourcelang:korean",
        "mode": "ArtList",
        "format": "json",
        "maxrecords": "250",
        "startdatetime": "20241001000000",
        "enddatetime": "20241201000000",
    }
    assert source().queries["ko"] == f"{TOPIC.queries['en']} sourcelang:korean"


def test_articles_of_every_language_in_the_window(web, services, fetcher):
    result = source().discover(gdelt_source(web), AUTUMN, fetcher, now=NOW)
    assert {c.url for c in result.candidates} == expected_urls(web, AUTUMN)
    stories = {s.url: s for s in web.services.gdelt.corpus.stories}
    # every language the simulated GDELT has coverage in within the window comes back
    covered = {s.language for s in stories.values() if AUTUMN.contains(s.seen)}
    assert {c.language for c in result.candidates} == covered and covered <= set(TOPIC.languages)
    for candidate in result.candidates:
        story = stories[candidate.url]
        assert candidate.title == story.title and candidate.language == story.language
        assert candidate.published == story.seen and AUTUMN.contains(candidate.published)
    assert result.errors == [] and result.requests == len(TOPIC.languages)
    assert {r["query"].rsplit("sourcelang:", 1)[1] for r in doc_requests(services)} >= {
        "indonesian",
        "chinese",
    }


def test_a_full_answer_is_split_until_it_fits(web, services, fetcher):
    result = source(languages=["en"], max_records=2).discover(gdelt_source(web), AUTUMN, fetcher, now=NOW)
    assert {c.url for c in result.candidates} == expected_urls(web, AUTUMN, ["en"])
    asked = doc_requests(services)
    assert len(asked) > 4 and all(r["maxrecords"] == "2" for r in asked)
    assert (asked[0]["startdatetime"], asked[0]["enddatetime"]) == ("20241001000000", "20241130060000")
    spans = [
        datetime.strptime(r["enddatetime"], "%Y%m%d%H%M%S")
        - datetime.strptime(r["startdatetime"], "%Y%m%d%H%M%S")
        for r in asked
    ]
    assert min(spans) < timedelta(days=8)


def test_the_cap_in_the_smallest_window_is_noted(web, services, fetcher):
    one_day = Window(datetime(2024, 10, 24, tzinfo=UTC), datetime(2024, 10, 25, tzinfo=UTC))
    capped = source(languages=["en"], max_records=1, min_span=timedelta(days=1))
    result = capped.discover(gdelt_source(web), one_day, fetcher, now=NOW)
    assert len(result.candidates) == 1 < len(expected_urls(web, one_day, ["en"]))
    assert any("the cap, in the smallest window" in note for note in result.notes)


# --- pacing -----------------------------------------------------------------------------------------


def test_requests_are_paced_one_per_interval_with_the_injected_clock(web, services, fetcher):
    clock = FakeClock()
    paced = GdeltDocSource(TOPIC, ["en", "de", "fr"], min_interval=5.0, clock=clock, sleep=clock.sleep)
    result = paced.discover(gdelt_source(web), AUTUMN, fetcher, now=NOW)
    assert result.requests == 3 and clock.sleeps == [5.0, 5.0]
    assert result.stats["slept_s"] == 10.0


def test_pacer_sleeps_only_the_rest_of_the_interval():
    clock = FakeClock()
    pacer = Pacer(5.0, clock, clock.sleep)
    assert pacer.wait() == 0.0  # the first request goes at once
    clock.now += 2.0  # two seconds of work
    assert pacer.wait() == 3.0
    clock.now += 7.0
    assert pacer.wait() == 0.0
    assert clock.sleeps == [3.0]


def test_the_service_refuses_requests_closer_than_its_interval(web, services, fetcher):
    services.gdelt.min_interval = 0.15
    window = Window(datetime(2024, 11, 1, tzinfo=UTC), datetime(2024, 11, 10, tzinfo=UTC))

    hasty = source(languages=["en", "id"]).discover(gdelt_source(web), window, fetcher, now=NOW)
    assert any("http_429" in e for e in hasty.errors)
    statuses = [e.status for e in services.requests if urlsplit(e.path).path == DOC_PATH]
    assert 429 in statuses

    services.clear_requests()
    time.sleep(0.2)  # a new run starts after the service's interval, as a scheduled one would
    polite = source(languages=["en", "id"], min_interval=0.2).discover(
        gdelt_source(web), window, fetcher, now=NOW
    )
    assert polite.errors == [] and {c.url for c in polite.candidates} == expected_urls(
        web, window, ["en", "id"]
    )


# --- errors as plain text, reach ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("Russia OR Korea", "Queries containing OR'd terms must be surrounded by ()."),
        ("Kim Un Russia", "Your search contained words that were too short."),
    ],
)
def test_plain_text_replies_are_errors_not_json(web, services, fetcher, query, message):
    bad = GdeltDocSource(queries={"en": query}, languages=["en"], min_interval=0.0)
    result = bad.discover(gdelt_source(web), AUTUMN, fetcher, now=NOW)
    assert result.candidates == []
    assert result.errors == [f"gdelt en {Window(AUTUMN.start, NOW)}: GDELT said: {message}"]


def test_a_reach_longer_than_the_services_gets_its_start_date_refused(web, services, fetcher):
    optimistic = source(languages=["en"], reach=timedelta(days=150))
    result = optimistic.discover(gdelt_source(web), SINCE_THE_PACT, fetcher, now=NOW)
    assert result.candidates == [] and "Invalid query start date." in result.errors[0]


def test_windows_beyond_three_months_are_not_requested(web, services, fetcher):
    june = Window(datetime(2024, 6, 1, tzinfo=UTC), datetime(2024, 7, 1, tzinfo=UTC))
    result = source().discover(gdelt_source(web), june, fetcher, now=NOW)
    assert result.candidates == [] and result.requests == 0 and doc_requests(services) == []
    assert "not requested" in result.notes[0] and "GKG" in result.notes[0]


def test_a_window_straddling_the_reach_is_asked_for_its_recent_part_only(web, services, fetcher):
    result = source(languages=["en"]).discover(gdelt_source(web), SINCE_THE_PACT, fetcher, now=NOW)
    reach_start = NOW - timedelta(days=90)
    assert doc_requests(services)[0]["startdatetime"] == reach_start.strftime("%Y%m%d%H%M%S")
    assert {c.url for c in result.candidates} == expected_urls(web, Window(reach_start, NOW), ["en"])
    assert any("older than the DOC API reaches" in note for note in result.notes)


# --- faults -------------------------------------------------------------------------------------------


def test_a_500_is_retried_and_a_broken_body_is_an_error(web, services, fetcher):
    services.set_fault("gdelt", DOC_PATH, "500", times=1)
    retried = source(languages=["ru"]).discover(gdelt_source(web), AUTUMN, fetcher, now=NOW)
    assert retried.errors == [] and {c.url for c in retried.candidates} == expected_urls(web, AUTUMN, ["ru"])

    services.set_fault("gdelt", DOC_PATH, "malformed")
    broken = source(languages=["ru"]).discover(gdelt_source(web), AUTUMN, fetcher, now=NOW)
    assert broken.candidates == [] and "unreadable JSON" in broken.errors[0]


def test_artlist_parsing():
    assert parse_artlist("application/json", "{}") == []
    raw = (
        '{"articles": [{"url": "https://a.example/x", "title": "Tab\there", "seendate": "20241024T123000Z"}]}'
    )
    assert parse_artlist("application/json", raw)[0]["title"] == "Tab\there"
    with pytest.raises(GdeltError, match="Please limit requests"):
        parse_artlist("text/plain", RATE_LIMIT_TEXT)
    with pytest.raises(GdeltError, match="Invalid query start date"):
        parse_artlist("text/html", "Invalid query start date.\n")


def test_windows_split_on_step_boundaries_and_align_outwards():
    window = Window(datetime(2024, 10, 1, 7, 20, tzinfo=UTC), datetime(2024, 10, 4, 2, tzinfo=UTC))
    day = timedelta(days=1)
    assert window.aligned(day) == Window(datetime(2024, 10, 1, tzinfo=UTC), datetime(2024, 10, 5, tzinfo=UTC))
    assert window.split(day) == (
        Window(window.start, datetime(2024, 10, 2, tzinfo=UTC)),
        Window(datetime(2024, 10, 2, tzinfo=UTC), window.end),
    )
    assert Window(datetime(2024, 10, 1, tzinfo=UTC), datetime(2024, 10, 2, tzinfo=UTC)).split(day) is None
    assert str(window.aligned(day)) == "2024-10-01/2024-10-05"
    with pytest.raises(ValueError):
        Window(datetime(2024, 10, 2, tzinfo=UTC), datetime(2024, 10, 1, tzinfo=UTC))
    with pytest.raises(ValueError):
        Window(datetime(2024, 10, 1), datetime(2024, 10, 2))


def test_built_from_its_config_table():
    built = build_source("gdelt", {"languages": ["en", "ko"], "min_interval": 6.0, "reach_days": 80}, TOPIC)
    assert isinstance(built, GdeltDocSource) and built.languages == ("en", "ko")
    assert built.pacer.interval == 6.0 and built.reach == timedelta(days=80)
