"""Dates in the database: signals stored per page, the local day in the views whatever the session's time zone,
the run summary counts, and `explain`'s signals."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from lxml.html import fromstring

import duckdb
from tasks.dates.choice import choose
from tasks.dates.page import page_dates
from tasks.models import ArticleRow, Outcome
from tasks.repos import dates as dates_repo
from tasks.store import Store

NOW = datetime(2024, 6, 25, 6, 0, tzinfo=UTC)

PAGES = {
    # late evening west of UTC, early morning east of it, a bare day, and one whose signals disagree
    "https://a.example/2024/06/19/late.html": "2024-06-19T23:30:00-07:00",
    "https://b.example/early.html": "2024-06-20T05:50:00+08:00",
    "https://c.example/day.html": "2024-06-19",
    "https://d.example/2024/06/10/moved.html": "2024-06-19T12:00:00+03:00",
}


def _outcome(i: int, url: str, value: str) -> Outcome:
    html = (
        f'<html><head><meta property="article:published_time" content="{value}"></head><body>x</body></html>'
    )
    choice = choose(page_dates(fromstring(html), html, url), fetched_at=NOW)
    aid = f"a{i}"
    row = ArticleRow(
        article_id=aid,
        url=url,
        canonical_url=url,
        title="T",
        authors=[],
        published_at=choice.published_at,
        language="en",
        site=url.split("/")[2],
        source="feed",
        text=f"Body {i}",
        text_hash=f"h{i}",
        relevance=3.0,
        matched_terms={},
        story_id=aid,
        extraction_method="trafilatura",
        extractor_version="v",
    )
    return Outcome(
        url=url, status="loaded", article_id=aid, article=row, published_at=choice.published_at, dates=choice
    )


@pytest.fixture
def loaded(tmp_path):
    store = Store(tmp_path / "news.duckdb", lock_timeout=5)
    store.migrate()
    outcomes = [_outcome(i, u, v) for i, (u, v) in enumerate(PAGES.items())]
    store.load(outcomes, "run-1", NOW)
    assert dates_repo.save_outcomes(store, outcomes, "run-1", NOW) == 4
    return store, outcomes


def _views(con) -> list[str]:
    return [
        v
        for (v,) in con.execute(
            "SELECT view_name FROM duckdb_views() WHERE NOT internal ORDER BY 1"
        ).fetchall()
    ]


def test_every_view_gives_the_same_rows_in_two_session_time_zones(loaded):
    store, _ = loaded
    con = duckdb.connect(str(store.path), read_only=True)
    try:
        results = {}
        for zone in ("Pacific/Kiritimati", "America/Los_Angeles"):
            con.execute(f"SET TimeZone = '{zone}'")
            results[zone] = {v: con.execute(f"SELECT * FROM {v}").fetchall() for v in _views(con)}
            # the old definition of daily_coverage did depend on the zone: this test could fail
            results[zone]["_naive"] = con.execute(
                "SELECT CAST(published_at AS DATE) FROM articles ORDER BY article_id"
            ).fetchall()
        east, west = results["Pacific/Kiritimati"], results["America/Los_Angeles"]
        assert "daily_coverage" in east and "articles_clean" in east
        assert east.pop("_naive") != west.pop("_naive")
        assert east == west
    finally:
        con.close()


def test_daily_coverage_counts_the_publishers_local_day(loaded):
    store, _ = loaded
    with store.connect() as con:
        days = dict(con.execute("SELECT site, day FROM daily_coverage").fetchall())
    assert days == {
        "a.example": date(2024, 6, 19),  # 06-20 06:30 UTC
        "b.example": date(2024, 6, 20),  # 06-19 21:50 UTC
        "c.example": date(2024, 6, 19),
        "d.example": date(2024, 6, 19),
    }


def test_signals_are_stored_and_disagreements_listed(loaded):
    store, outcomes = loaded
    with store.connect() as con:
        chosen, signals = dates_repo.explain(con, "https://b.example/early.html")
        flagged = con.execute("SELECT url, disagreement_days FROM date_disagreements").fetchall()
        found = dates_repo.urls_for_days(con, date(2024, 6, 10), date(2024, 6, 10))
    assert chosen["published_local"] == datetime(2024, 6, 20, 5, 50) and chosen["utc_offset_min"] == 480
    assert chosen["rule"] == "meta:article:published_time" and 0 < chosen["confidence"] <= 1
    assert [(s["kind"], s["role"]) for s in signals] == [
        ("meta:article:published_time", "published"),
        ("fetched", "seen"),
    ]
    assert flagged == [("https://d.example/2024/06/10/moved.html", 9)]
    assert found == ["https://d.example/2024/06/10/moved.html"]  # a backfill of the URL's day finds it
    assert dates_repo.summary(outcomes)["date_disagreements"] == 1


def test_saving_again_replaces_the_signals(loaded):
    store, outcomes = loaded
    dates_repo.save_outcomes(store, outcomes, "run-2", NOW)
    with store.connect() as con:
        assert con.execute("SELECT count(*) FROM page_dates").fetchone()[0] == 4
        assert con.execute("SELECT count(DISTINCT run_id) FROM page_dates").fetchone()[0] == 1
        assert (
            con.execute("SELECT count(*) FROM date_signals").fetchone()[0] == 10
        )  # 4 markup, 2 URL, 4 fetch


def test_poison_date_is_recorded_not_raised(tmp_path):
    store = Store(tmp_path / "news.duckdb", lock_timeout=5)
    store.migrate()
    outcome = _outcome(9, "https://e.example/p.html", "0001-01-01T00:00:00+14:00")
    dates_repo.save_outcomes(store, [outcome], "run-1", NOW)
    with store.connect() as con:
        rows = con.execute("SELECT kind, role, reason FROM date_signals WHERE role = 'dropped'").fetchall()
        rule = con.execute("SELECT rule FROM page_dates").fetchone()[0]
    assert rows and rows[0][0] == "meta:article:published_time" and "out of range" in rows[0][2]
    assert rule == "none"


def test_a_poison_page_date_does_not_fail_its_batch(tmp_path):
    """Issue 16, page side: the batch with a page dated 0001-01-01T00:00:00+14:00 is decided and loaded whole."""
    from tasks.clean import load_rules
    from tasks.dedupe import DedupeIndex
    from tasks.models import RawPage
    from tasks.process import analyse, decide
    from tasks.relevance.topic import load_topic

    body = (
        "<p>Putin and Kim Jong Un signed the Russia North Korea treaty in Pyongyang on mutual defence.</p>"
        * 4
    )
    raws = [
        RawPage(
            url=f"https://p.example/{i}.html",
            final_url=f"https://p.example/{i}.html",
            fetched_at=NOW,
            html=f'<html lang="en"><head><meta property="article:published_time" content="{value}"></head>'
            f"<body><article><h1>Pact {i}</h1>{body.replace('Pyongyang', f'Pyongyang {i}')}</article></body></html>",
        )
        for i, value in enumerate(
            ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00", "2024-06-19T10:00+03:00"]
        )
    ]
    topic, rules = load_topic(), load_rules()
    outcomes = decide([analyse(r, topic, rules) for r in raws], DedupeIndex([]))
    assert len(outcomes) == 3 and all(o.dates is not None for o in outcomes)
    by_url = {o.url: o for o in outcomes}
    assert by_url["https://p.example/2.html"].published_at == datetime(2024, 6, 19, 7, 0, tzinfo=UTC)
    for i in (0, 1):
        choice = by_url[f"https://p.example/{i}.html"].dates
        assert choice.signal is None or choice.signal.day.year == 2024  # never the poison value
        assert any("out of range" in reason for _, _, reason in choice.dropped)
    store = Store(tmp_path / "news.duckdb", lock_timeout=5)
    store.migrate()
    store.load(outcomes, "run-1", NOW)
    dates_repo.save_outcomes(store, outcomes, "run-1", NOW)
    with store.connect() as con:
        assert con.execute("SELECT count(*) FROM page_dates").fetchone()[0] == 3
    assert dates_repo.summary(outcomes)["date_dropped"] >= 2


def test_explain_shows_the_date_signals(loaded):
    from flows.inspect_pages import explain_article

    store, _ = loaded
    found = explain_article(store, "https://d.example/2024/06/10/moved.html")
    assert found.date["published_day"] == date(2024, 6, 19) and found.date["flagged"]
    assert [s["kind"] for s in found.date_signals] == ["meta:article:published_time", "url", "fetched"]


# -- selection by the publisher's local day, and no date after the first capture ---------------------------------
def _with_raw_pages(store: Store, outcomes: list[Outcome], archived: dict | None = None) -> None:
    """The raw pages and frontier rows the loaded articles came from (as a fetch would have stored them)."""
    from tasks.models import Candidate, FetchResult

    urls = [o.url for o in outcomes]
    archived = archived or {}
    store.add_candidates(
        [Candidate(url=u, source="feed", archived_at=archived.get(u)) for u in urls], "run-0", NOW
    )
    html = "<html><body><p>x</p></body></html>"
    store.save_fetches(
        [
            FetchResult(
                url=u,
                final_url=u,
                status=200,
                ok=True,
                content_type="text/html",
                text=html,
                body=html.encode(),
            )
            for u in urls
        ],
        "run-0",
        NOW,
        max_attempts=3,
    )
    store.load(outcomes, "run-1", NOW)  # the decisions again, now that the frontier knows the URLs


def test_reprocess_selects_by_the_publishers_local_day(loaded):
    store, outcomes = loaded
    _with_raw_pages(store, outcomes)
    # b.example was published on 20 June in its own offset (19 June 21:50 UTC); a.example on 19 June at
    # 23:30 -07:00 (20 June 06:30 UTC)
    assert store.processed_urls(start=date(2024, 6, 20), end=date(2024, 6, 20)) == [
        "https://b.example/early.html"
    ]
    assert store.processed_urls(start=date(2024, 6, 19), end=date(2024, 6, 19)) == [
        "https://a.example/2024/06/19/late.html",
        "https://c.example/day.html",
        "https://d.example/2024/06/10/moved.html",
    ]
    assert len(store.processed_urls()) == 4


@pytest.mark.usefixtures("prefect_harness")
def test_reprocess_flow_redoes_the_pages_of_the_local_day(loaded):
    from flows.reprocess import reprocess

    store, outcomes = loaded
    _with_raw_pages(store, outcomes)
    summary = reprocess(db_path=str(store.path), start=date(2024, 6, 20), end=date(2024, 6, 20))
    with store.connect() as con:
        redone = con.execute("SELECT url FROM urls WHERE updated_run_id = ?", [summary["run_id"]]).fetchall()
    assert summary["counts"]["pages"] == 1 and redone == [("https://b.example/early.html",)]


def test_no_stored_publication_date_is_after_the_first_capture(tmp_path):
    """Pages whose markup dates them after newsmon fetched them, or after an archive first captured them, are
    stored capped at that capture; the check is made on what the database holds."""
    from tasks.clean import load_rules
    from tasks.dedupe import DedupeIndex
    from tasks.models import RawPage
    from tasks.process import analyse, decide
    from tasks.relevance.topic import load_topic

    body = (
        "<p>Putin and Kim Jong Un signed the Russia North Korea treaty in Pyongyang on mutual defence.</p>"
        * 4
    )
    words = [
        " ".join(
            f"{w}{i}x"
            for w in [
                "alpha",
                "bravo",
                "charlie",
                "delta",
                "echo",
                "foxtrot",
                "golf",
                "hotel",
                "india",
                "juliet",
                "kilo",
            ]
        )
        * 6
        for i in range(5)
    ]
    cases = [
        # (markup date, archive capture): after the fetch; after the archive's capture; a zoneless time later on
        # the fetch's own day; a bare day; a date before both (kept)
        ("2024-06-26T10:00:00+09:00", None),
        ("2024-06-24T10:00:00+00:00", datetime(2024, 6, 22, 8, 0, tzinfo=UTC)),
        ("2024-06-25T18:30:00", None),
        ("2024-06-25", None),
        ("2024-06-19T10:00:00+03:00", datetime(2024, 6, 20, 8, 0, tzinfo=UTC)),
    ]
    raws = [
        RawPage(
            url=f"https://q.example/{i}.html",
            final_url=f"https://q.example/{i}.html",
            fetched_at=NOW,
            archived_at=archived,
            html=f'<html lang="en"><head><meta property="article:published_time" content="{value}"></head>'
            f"<body><article><h1>Pact {i}</h1>{body}<p>{words[i]}</p></article></body></html>",
        )
        for i, (value, archived) in enumerate(cases)
    ]
    topic, rules = load_topic(), load_rules()
    outcomes = decide([analyse(r, topic, rules) for r in raws], DedupeIndex([]))
    assert [o.status for o in outcomes] == ["loaded"] * len(cases), [(o.status, o.reason) for o in outcomes]
    store = Store(tmp_path / "news.duckdb", lock_timeout=5)
    store.migrate()
    _with_raw_pages(store, outcomes, {r.url: r.archived_at for r in raws})
    dates_repo.save_outcomes(store, outcomes, "run-1", NOW)
    with store.connect() as con:
        stored = con.execute(
            "SELECT count(*) FROM articles a JOIN page_dates d USING (url) JOIN urls u USING (url)"
        ).fetchone()[0]
        late = con.execute(
            "SELECT a.url, a.published_at, d.published_at FROM articles a JOIN page_dates d USING (url) "
            "JOIN raw_pages r USING (url) JOIN urls u USING (url) "
            "WHERE greatest(a.published_at, d.published_at) > least(r.fetched_at, coalesce(u.archived_at, r.fetched_at))"
        ).fetchall()
        rules_by_url = dict(con.execute("SELECT url, rule FROM page_dates").fetchall())
    assert stored == len(cases) and late == []
    assert rules_by_url["https://q.example/0.html"].startswith("capped:")
    assert rules_by_url["https://q.example/4.html"] == "meta:article:published_time"


def _utc(row: tuple) -> str:
    """A row with its instants written in UTC: the client gives TIMESTAMPTZ values in the session's zone, the
    same instant either way."""
    return repr(tuple(v.astimezone(UTC) if isinstance(v, datetime) and v.tzinfo else v for v in row))


def test_demo_database_views_and_capture_bound(demo_db):
    """On what a whole nightly run stored: every view gives the same rows under two session time zones (views
    with rows among them), and no stored publication date is after the page's first capture."""
    path, _ = demo_db
    con = duckdb.connect(str(path), read_only=True)
    try:
        results = {}
        for zone in ("Asia/Kathmandu", "America/Los_Angeles"):  # +05:45 and -07:00 / -08:00
            con.execute(f"SET TimeZone = '{zone}'")
            results[zone] = {
                v: sorted(map(_utc, con.execute(f"SELECT * FROM {v}").fetchall())) for v in _views(con)
            }
        east, west = results.values()
        assert east == west
        assert east["daily_coverage"] and sum(1 for rows_ in east.values() if rows_) >= 3
        con.execute("SET TimeZone = 'UTC'")
        late = con.execute(
            "SELECT d.url FROM page_dates d JOIN raw_pages r USING (url) LEFT JOIN urls u USING (url) "
            "WHERE d.published_at > least(r.fetched_at, coalesce(u.archived_at, r.fetched_at))"
        ).fetchall()
        dated = con.execute("SELECT count(*) FROM page_dates WHERE published_at IS NOT NULL").fetchone()[0]
    finally:
        con.close()
    assert dated > 0 and late == []
