import subprocess
import sys
import textwrap
import time
from datetime import UTC, datetime

import pytest

from tasks import db, staging
from tasks.models import ArticleRow, Attempt, Candidate, FetchResult, Outcome, Removal
from tasks.store import Store

NOW = datetime(2024, 11, 30, 6, 0, tzinfo=UTC)


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "news.duckdb", lock_timeout=5)
    s.migrate()
    return s


def count(store, table):
    with store.connect() as con:
        return con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def ok_result(url, html="<html><body><p>hello</p></body></html>"):
    return FetchResult(
        url=url,
        final_url=url,
        status=200,
        ok=True,
        body=html.encode(),
        text=html,
        content_type="text/html",
        encoding="utf-8",
        attempts=[Attempt(url, 200, None, 5)],
    )


def test_migrations_are_numbered_and_idempotent(store):
    assert store.migrate() == db.migrations()[-1][0]
    assert store.migrate() == db.migrations()[-1][0]
    with store.connect() as con:
        assert con.execute("SELECT count(*) FROM schema_version").fetchone()[0] == len(db.migrations())


def test_candidates_are_added_once(store):
    cands = [Candidate("https://a.example/1.html", "feed-a"), Candidate("https://a.example/2.html", "feed-a")]
    assert store.add_candidates(cands, "run-1", NOW) == 2
    assert store.add_candidates(cands, "run-2", NOW) == 0
    assert [p.url for p in store.pending(max_attempts=3)] == [
        "https://a.example/1.html",
        "https://a.example/2.html",
    ]


def test_fetch_outcomes_set_url_status(store):
    urls = [f"https://a.example/{i}.html" for i in range(4)]
    store.add_candidates([Candidate(u, "feed-a") for u in urls], "run-1", NOW)
    results = [
        ok_result(urls[0]),
        FetchResult(
            url=urls[1],
            status=500,
            error="http_500",
            attempts=[Attempt(urls[1], 500, None, 3), Attempt(urls[1], 500, None, 4)],
        ),
        FetchResult(url=urls[2], error="robots", permanent=True),
        FetchResult(
            url=urls[3],
            status=404,
            error="http_404",
            permanent=True,
            attempts=[Attempt(urls[3], 404, None, 2)],
        ),
    ]
    store.save_fetches(results, "run-1", NOW, max_attempts=2)
    with store.connect() as con:
        status = dict(con.execute("SELECT url, status FROM urls").fetchall())
        assert con.execute("SELECT count(*) FROM fetches WHERE url = ?", [urls[1]]).fetchone()[0] == 2
        assert con.execute("SELECT error FROM fetches WHERE url = ?", [urls[2]]).fetchone()[0] == "robots"
    assert status == {
        urls[0]: "fetched",
        urls[1]: "failed",
        urls[2]: "failed_permanent",
        urls[3]: "failed_permanent",
    }
    assert [p.url for p in store.raw_pages([urls[0]])] == [urls[0]]
    assert store.raw_pages([urls[0]])[0].html.startswith("<html>")
    # a second failure uses up the attempts: failed for good, never pending again
    store.save_fetches([results[1]], "run-2", NOW, max_attempts=2)
    assert {p.url for p in store.pending(max_attempts=2)} == {urls[0]}


def _outcomes(url="https://a.example/0.html"):
    row = ArticleRow(
        article_id="a1",
        url=url,
        canonical_url=url,
        title="T",
        authors=["X"],
        published_at=NOW,
        language="en",
        site="A",
        source="feed-a",
        text="Body text",
        text_hash="h1",
        relevance=3.0,
        matched_terms={"russia": ["russia"]},
        story_id="a1",
        extraction_method="trafilatura",
        extractor_version="v1",
    )
    return [
        Outcome(
            url=url,
            status="loaded",
            article_id="a1",
            article=row,
            removed=[Removal("MORE: x", "en.related", 3)],
        ),
        Outcome(
            url="https://b.example/copy.html",
            status="duplicate",
            reason="exact",
            article_id="a1",
            sighting_kind="exact",
            site="B",
            published_at=NOW,
        ),
        Outcome(url="https://c.example/off.html", status="irrelevant", reason="off_topic", relevance=0.5),
    ]


def test_load_is_idempotent(store):
    urls = ["https://a.example/0.html", "https://b.example/copy.html", "https://c.example/off.html"]
    store.add_candidates([Candidate(u, "feed") for u in urls], "run-1", NOW)
    store.load(_outcomes(), "run-1", NOW)
    before = {t: count(store, t) for t in ("articles", "sightings", "boilerplate_removed")}
    store.load(_outcomes(), "run-2", NOW)
    assert (
        {t: count(store, t) for t in before}
        == before
        == {"articles": 1, "sightings": 1, "boilerplate_removed": 1}
    )
    with store.connect() as con:
        assert con.execute("SELECT first_run_id, last_run_id FROM articles").fetchone() == ("run-1", "run-2")
        assert (
            dict(con.execute("SELECT url, status FROM urls").fetchall())["https://c.example/off.html"]
            == "irrelevant"
        )


ROW_TABLES = (
    "articles", "article_minhash", "article_marks", "boilerplate_removed", "sightings", "dedupe_keys", "story_articles", "stories",
    "page_dates", "date_signals", "page_lines", "template_page_lines", "template_line_counts",
    "template_line_days",
)  # fmt: skip


def _full_outcomes(
    text="Russia and North Korea signed the pact in Pyongyang on 19 June.\nA second paragraph.",
):
    """Outcomes that write every table a batch load writes: keys, links, dates, page lines, snippets."""
    from dataclasses import replace

    from lxml.html import fromstring

    from tasks.dates.choice import choose
    from tasks.dates.page import page_dates
    from tasks.dedupe import DedupeIndex, KnownArticle, minhash, signature_bytes, text_hash
    from tasks.models import PageLinesRow, StoryRow

    url = "https://a.example/2024/06/19/pact.html"
    html = '<html><head><meta property="article:published_time" content="2024-06-19T10:00:00+03:00"></head></html>'
    choice = choose(page_dates(fromstring(html), html, url), fetched_at=NOW)
    outcomes = _outcomes(url)
    row = replace(
        outcomes[0].article, text=text, text_hash=text_hash(text), signature=signature_bytes(minhash(text)),
        published_at=choice.published_at,
    )  # fmt: skip
    known = KnownArticle(row.article_id, row.canonical_url, row.text_hash, None, row.title, text, row.language,
                         row.published_at)  # fmt: skip
    row = replace(row, marks=DedupeIndex([]).marks(known))
    lines = PageLinesRow(url, "a.example", choice.day, True, "T", tuple(text.split("\n")) + ("Share this",))
    outcomes[0] = replace(
        outcomes[0], article=row, dates=choice, lines=lines, story=StoryRow("a1", "original"),
        published_at=choice.published_at,
    )  # fmt: skip
    outcomes[1] = replace(outcomes[1], story=StoryRow("a1", "copy", "a1"))
    return outcomes


def test_a_rerun_or_a_redo_of_a_batch_writes_every_row_once(store):
    """Tables without a primary key (migration 055) still get each row once: a batch loaded again as it was
    (a rerun after a crash) or decided again (reprocessing, replace=True) leaves every table as it was."""
    outcomes = _full_outcomes()
    store.add_candidates([Candidate(o.url, "feed") for o in outcomes], "run-1", NOW)
    store.load(outcomes, "run-1", NOW)
    first = {t: count(store, t) for t in ROW_TABLES}
    assert all(first[t] > 0 for t in ROW_TABLES), first
    assert first["dedupe_keys"] > 2
    store.load(_full_outcomes(), "run-2", NOW)
    assert {t: count(store, t) for t in ROW_TABLES} == first
    store.load(_full_outcomes(), "run-3", NOW, replace=True)
    assert {t: count(store, t) for t in ROW_TABLES} == first
    with store.connect() as con:
        assert con.execute(
            "SELECT count(*) FROM (SELECT key, article_id FROM dedupe_keys GROUP BY ALL HAVING count(*) > 1)"
        ).fetchone() == (0,)
        assert con.execute("SELECT sum(pages) FROM template_sites").fetchone() == (1,)


def test_an_article_loaded_again_with_new_text_gains_only_its_new_keys(store):
    store.load(_full_outcomes(), "run-1", NOW)
    with store.connect() as con:
        before = set(con.execute("SELECT key FROM dedupe_keys").fetchall())
    store.load(
        _full_outcomes(
            "Russia and North Korea signed the pact.\nAn altogether different paragraph here, long enough to count."
        ),
        "run-2",
        NOW,
    )
    with store.connect() as con:
        after = con.execute("SELECT key, count(*) FROM dedupe_keys GROUP BY key").fetchall()
    assert (
        set((k,) for k, _ in after) > before
    )  # the old keys stay (as before), the new text's keys are added
    assert all(n == 1 for _, n in after)


def test_the_load_writes_the_keys_the_decision_computed(store):
    """Keys carried on the article row (computed by the dedupe index while deciding) are the keys the load
    would derive from the row itself."""
    from dataclasses import replace

    from tasks.dedupe import DedupeIndex, KnownArticle, signature_from_bytes
    from tasks.repos import dedupe as dedupe_repo

    outcomes = _full_outcomes()
    a = outcomes[0].article
    derived = dedupe_repo.article_keys(a)
    assert derived and any(k.startswith("b") for k in derived)
    known = KnownArticle(
        a.article_id, a.canonical_url, a.text_hash, None, a.title, a.text, a.language, a.published_at
    )
    index = DedupeIndex([])
    assert (
        list(
            index.add(
                a.article_id, a.canonical_url, a.text_hash, signature_from_bytes(a.signature), article=known
            )
        )
        == derived
    )
    # the same article seen again under an edited text: the keys of the new version, not those held
    edited = replace(known, text=a.text + "\nA new closing paragraph that is long enough to count as one.")
    again = index.add(
        a.article_id, a.canonical_url, a.text_hash, signature_from_bytes(a.signature), article=edited
    )
    assert set(again) > set(derived)
    outcomes[0] = replace(outcomes[0], article=replace(outcomes[0].article, keys=tuple(derived)))
    store.load(outcomes, "run-1", NOW)
    with store.connect() as con:
        assert sorted(k for (k,) in con.execute("SELECT key FROM dedupe_keys").fetchall()) == sorted(derived)


def test_failed_load_leaves_nothing(store, monkeypatch):
    outcomes = _outcomes()
    outcomes[1].sighting_kind = None  # violates NOT NULL in the middle of the batch
    with pytest.raises(Exception, match="NOT NULL"):
        store.load(outcomes, "run-1", NOW)
    assert count(store, "articles") == 0 and count(store, "boilerplate_removed") == 0


HOLD_LOCK = textwrap.dedent("""
    import sys, time, duckdb
    con = duckdb.connect(sys.argv[1])
    print("locked", flush=True)
    time.sleep(float(sys.argv[2]))
    con.close()
""")


def _hold_lock(path, seconds):
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(path), str(seconds)], stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout.readline().strip() == "locked"
    return proc


def test_locked_database_is_waited_for(store):
    proc = _hold_lock(store.path, 1.5)
    try:
        started = time.monotonic()
        store.add_candidates([Candidate("https://a.example/x.html", "feed")], "run-1", NOW)
        assert time.monotonic() - started >= 0.5
    finally:
        proc.wait(timeout=10)
    assert count(store, "urls") == 1


def test_database_locked_too_long_is_a_clear_error(tmp_path):
    store = Store(tmp_path / "news.duckdb", lock_timeout=0.5)
    store.migrate()
    proc = _hold_lock(store.path, 20)
    try:
        with pytest.raises(db.DatabaseLockedError, match="locked by another process"):
            store.add_candidates([Candidate("https://a.example/x.html", "feed")], "run-1", NOW)
    finally:
        proc.kill()
        proc.wait()


def test_staged_batch_round_trip(tmp_path):
    results = [
        ok_result("https://a.example/1.html", "<p>Привет, мир</p>"),
        FetchResult(
            url="https://a.example/2.html", error="timeout", attempts=[Attempt("u", None, "timeout", 5000)]
        ),
    ]
    path = staging.write_batch(tmp_path / "staging", "run-1-0000", results, "run-1", NOW)
    assert staging.pending_batches(tmp_path / "staging") == [path]
    run_id, at, back = staging.read_batch(path)
    assert (run_id, at) == ("run-1", NOW)
    assert back == results


def test_full_text_search_offline(store):
    store.add_candidates([Candidate("https://a.example/0.html", "feed")], "run-1", NOW)
    store.load(_outcomes()[:1], "run-1", NOW)
    with store.connect() as con:
        db.build_fts_index(con)
        hits = con.execute(
            "SELECT article_id FROM (SELECT *, fts_main_articles.match_bm25(article_id, 'body') AS s "
            "FROM articles) WHERE s IS NOT NULL"
        ).fetchall()
    assert hits == [("a1",)]


def test_snapshot_is_readable_while_pipeline_file_is_open(store):
    store.add_candidates([Candidate("https://a.example/0.html", "feed")], "run-1", NOW)
    snap = db.publish_snapshot(store.path)
    with store.connect() as writer, db.connect(snap, read_only=True) as reader:
        writer.execute("UPDATE urls SET status = 'failed'")
        assert reader.execute("SELECT status FROM urls").fetchone() == ("new",)


def test_a_journal_is_read_to_its_last_complete_line(tmp_path):
    """A batch staged page by page: finished, it carries its end time; cut short (a killed run), what it holds."""
    later = NOW.replace(hour=7)
    results = [ok_result(f"https://a.example/{i}.html", f"<p>Страница {i}</p>") for i in range(3)]
    journal = staging.Journal(tmp_path / "staging", "run-1-0000", "run-1", NOW)
    for r in results:
        journal.append(r)
    journal.finish(later)
    assert staging.pending_batches(tmp_path / "staging") == [journal.path]
    assert staging.read_batch(journal.path) == ("run-1", later, results)
    killed = staging.Journal(tmp_path / "staging", "run-2-0000", "run-2", NOW)
    for r in results[:2]:
        killed.append(r)
    size = killed.path.stat().st_size
    killed.append(results[2])
    killed.close()
    with open(killed.path, "r+b") as fh:  # the third line was being written when the process died
        fh.truncate(size + 10)
    assert staging.read_batch(killed.path) == ("run-2", NOW, results[:2])
    staging.discard(journal.path)
    assert staging.pending_batches(tmp_path / "staging") == [killed.path]
