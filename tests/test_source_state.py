"""The source protocol: every kind streams candidates and keeps its state, saved through tasks.repos.sources."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from tasks.discover import FeedSource, SitemapSource
from tasks.models import FetchResult, Source
from tasks.repos import sources as source_repo
from tasks.sources import KINDS, open_source, source_class, windowed
from tasks.sources.state import SourceState
from tasks.sources.window import Window
from tasks.store import Store

NOW = datetime(2024, 11, 30, 6, 0, tzinfo=UTC)
RSS = Source("kabar", "rss", "https://kabar.example/feed.xml", "id")
SITEMAP = Source("desk", "sitemap", "https://desk.example/sitemap-news.xml", "en")
GKG = Source("gkg", "gkg", "http://data.gdeltproject.org/gdeltv2/")
FEED = (
    b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>'
    b"<item><link>https://kabar.example/a.html</link><pubDate>9999-12-31T23:59:59-14:00</pubDate></item>"
    b"<item><link>https://kabar.example/b.html</link><pubDate>Wed, 19 Jun 2024 02:30:00 GMT</pubDate></item>"
    b"</channel></rss>"
)


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "news.duckdb", lock_timeout=5)
    s.migrate()
    s.sync_sources([RSS, SITEMAP, GKG])
    return s


class Answers:
    def __init__(self, answers: dict[str, FetchResult]) -> None:
        self.answers, self.calls = answers, []

    def __call__(self, url, etag=None, last_modified=None):
        self.calls.append((url, etag, last_modified))
        return self.answers[url]


def test_every_configured_kind_has_a_class_behind_the_one_protocol():
    assert set(KINDS) == {"rss", "sitemap", "gnews", "gdelt", "gkg", "cdx"}
    for kind in KINDS:
        cls = source_class(kind)
        assert callable(cls.stream) and callable(cls.from_config) and isinstance(cls.windowed, bool)
    assert (windowed(RSS), windowed(SITEMAP), windowed(GKG)) == (False, False, True)
    assert isinstance(open_source(RSS), FeedSource) and isinstance(open_source(SITEMAP), SitemapSource)
    with pytest.raises(ValueError, match="unknown source kind"):
        source_class("bing")


def test_a_listing_streams_items_lazily_and_keeps_its_validators():
    fetch = Answers({RSS.url: FetchResult(RSS.url, status=200, ok=True, body=FEED, etag='"v2"')})
    state = SourceState(etag='"v1"')
    stream = open_source(RSS).stream(None, fetch, state, now=NOW)
    assert fetch.calls == []  # nothing requested until the stream is read
    first = next(stream)
    assert first.url == "https://kabar.example/a.html" and first.published is None
    rest = list(stream)
    assert [c.url for c in rest] == ["https://kabar.example/b.html"]
    assert fetch.calls == [(RSS.url, '"v1"', None)]
    assert (state.etag, state.error, state.items, dict(state.skipped)) == (
        '"v2"',
        None,
        2,
        {"published_out_of_range": 1},
    )


def test_a_not_modified_listing_keeps_the_stored_validators():
    fetch = Answers({RSS.url: FetchResult(RSS.url, status=304, ok=True)})
    state = SourceState(etag='"v1"', last_modified="Wed, 19 Jun 2024 00:00:00 GMT")
    assert list(open_source(RSS).stream(None, fetch, state, now=NOW)) == []
    assert (state.status, state.etag, state.last_modified) == (304, '"v1"', "Wed, 19 Jun 2024 00:00:00 GMT")


def test_a_windowed_source_without_a_window_yields_nothing_and_says_why():
    state = SourceState()
    assert list(open_source(GKG).stream(None, Answers({}), state, now=NOW)) == []
    assert state.notes and state.requests == 0


def test_states_round_trip_through_the_sources_repository(store):
    fetch = Answers({RSS.url: FetchResult(RSS.url, status=200, ok=True, body=FEED, etag='"v2"')})
    with store.connect() as con:
        states = source_repo.load_states(con, [RSS, SITEMAP])
    assert states[RSS.name].etag is None
    list(open_source(RSS).stream(None, fetch, states[RSS.name], now=NOW))
    states[SITEMAP.name].checked, states[SITEMAP.name].error = True, "http_503"
    with store.connect() as con:
        source_repo.save_states(con, states, "run-1", NOW)
        row = con.execute(
            "SELECT etag, last_status, failures, items_seen, last_skipped FROM sources WHERE name = 'kabar'"
        ).fetchone()
        failed = con.execute("SELECT failures, last_error FROM sources WHERE name = 'desk'").fetchone()
        again = source_repo.load_states(con, [RSS])
    assert row[:4] == ('"v2"', 200, 0, 2) and json.loads(row[4]) == {"published_out_of_range": 1}
    assert failed == (1, "http_503")
    assert again[RSS.name].etag == '"v2"'


def test_gkg_progress_and_unresolved_links_are_saved_and_loaded_by_window(store):
    state = SourceState(
        finished=["20241130053000.gkg.csv.zip", "20241201000000.gkg.csv.zip"],
        unresolved=[
            {
                "url": "https://news.google.com/rss/articles/x",
                "title": "t",
                "published": "2024-06-19T02:30:00+00:00",
                "why": "opaque",
            }
        ],
    )
    with store.connect() as con:
        source_repo.save_states(con, {GKG.name: state}, "run-1", NOW)
        source_repo.save_states(con, {GKG.name: state}, "run-2", NOW)  # idempotent
        morning = Window(datetime(2024, 11, 30, 5, tzinfo=UTC), datetime(2024, 11, 30, 6, tzinfo=UTC))
        loaded = source_repo.load_states(con, [GKG], morning.start, morning.end)
        unresolved = con.execute("SELECT url, run_id, published FROM unresolved_links").fetchall()
    assert loaded[GKG.name].done == {"20241130053000.gkg.csv.zip"}  # only the window's files are read
    assert unresolved == [
        ("https://news.google.com/rss/articles/x", "run-2", datetime(2024, 6, 19, 2, 30, tzinfo=UTC))
    ]
