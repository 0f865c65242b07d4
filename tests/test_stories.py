"""Duplicate groups, translations and stories: fingerprints, pair rules, keyed lookups and the tables."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from simweb.storyset import TEXTS, pages
from tasks.clean import load_rules
from tasks.dedupe import DedupeIndex, KnownArticle, minhash
from tasks.linking import ManifestError, SavedPage, link_pages, read_manifest
from tasks.models import Outcome, RawPage, StoryRow
from tasks.process import analyse, decide
from tasks.relevance.topic import load_topic
from tasks.repos import bulk
from tasks.repos import dedupe as dedupe_repo
from tasks.repos import stories as story_repo
from tasks.store import Store
from tasks.stories import StoriesConfigError, fingerprint, judge, load_link_config, numbers

T0 = datetime(2024, 6, 19, 9, tzinfo=UTC)


def test_numbers_are_normalised_across_writing_conventions():
    assert numbers("1,500 and 1.500 and 1 500 and 2,5 and 06") == ["1500", "1500", "1500", "2.5", "6"]


def test_cjk_unit_numerals_are_written_out_and_numeric_months_dropped():
    assert numbers("병력 1만5000명, 사상자 1천500명, 약 1만 명") == ["15000", "1500", "10000"]
    assert numbers("2.5万人、1万5千人、1억2000만 달러、3千人") == ["25000", "15000", "120000000", "3000"]
    # "19 June 2024" states 19 and 2024; so do the CJK forms once the month number is dropped
    assert numbers("2024年6月19日") == numbers("2024년 6월 19일") == ["2024", "19"]
    assert numbers("6개월 동안") == ["6"]  # a duration, not a month


def _fp(event: str, language: str, hours: float = 0):
    title, paragraphs = TEXTS[event][language]
    return fingerprint(title, "\n".join(paragraphs), language, T0 + timedelta(hours=hours))


def test_translation_links_and_distinct_events_sharing_background_stay_apart():
    link = judge(_fp("signing", "de", 3), _fp("signing", "en"))
    assert link is not None and link.relation == "translation"
    # the limousine story recycles the signing's background paragraph and follows it within a day
    assert judge(_fp("limousine", "en", 23), _fp("signing", "en")) is None
    assert judge(_fp("limousine", "ru", 23), _fp("signing", "ru")) is None
    # the Federation Council story repeats the Duma's figures; published the same hour it still stays apart
    assert judge(_fp("council", "en"), _fp("duma", "en")) is None
    assert judge(_fp("council", "ru"), _fp("duma", "de")) is None


def test_edited_copy_is_near_but_shared_background_alone_is_not():
    a = _fp("signing", "en")
    link = judge(a, a, containment=0.7)
    assert link.relation == "copy" and link.evidence["containment"] == 0.7
    # half the text in common, but each states figures and names the other does not: no copy
    assert judge(_fp("limousine", "en"), a, containment=0.7) is None


def test_dev_set_has_no_merges_and_finds_every_relation():
    truth = pages()
    results = link_pages([SavedPage(p.path, p.url, p.html) for p in truth])
    story_events = {}
    for p, r in zip(truth, results, strict=True):
        assert r["relevant"], p.path
        story_events.setdefault(r["story"], set()).add(p.event)
    assert all(len(events) == 1 for events in story_events.values())  # zero merges of distinct events
    assert len(story_events) == len({p.event for p in truth})
    relation = {p.relation: r["relation"] for p, r in zip(truth, results, strict=True)}
    assert relation == {
        "original": "original",
        "exact": "copy",
        "near": "copy",
        "translation": "translation",
        "report": "report",
    }


def test_manifest_errors_name_file_and_line(tmp_path):
    manifest = tmp_path / "m.jsonl"
    manifest.write_text('{"path": "a.html", "url": "http://x/a"}\n{"path": "b.html"}\n')
    with pytest.raises(ManifestError, match=r"m.jsonl:2"):
        read_manifest(manifest)


def test_config_errors_are_one_line(tmp_path):
    bad = tmp_path / "stories.toml"
    bad.write_text('[events]\nduma = "Duma"\n')
    with pytest.raises(StoriesConfigError, match=r"stories.toml: \[events\] duma must be"):
        load_link_config(bad)


def test_an_article_linking_two_stories_merges_them():
    def known(aid, event, language, story):
        title, paragraphs = TEXTS[event][language]
        text = "\n".join(paragraphs)
        return KnownArticle(aid, f"http://x/{aid}", aid, None, title, text, language, T0, story)

    index = DedupeIndex([known("a", "signing", "en", "s1"), known("b", "signing", "de", "s2")])
    title, paragraphs = TEXTS["signing"]["ru"]
    new = KnownArticle(
        "c", "http://x/c", "c", None, title, "\n".join(paragraphs), "ru", T0 + timedelta(hours=2)
    )
    dup, story = index.relate(new, minhash(new.text))
    assert dup is None and story.relation == "translation"
    assert {story.story_id, *story.merged} == {"s1", "s2"}
    index.add("c", new.canonical_url, "c", article=new, story=story)
    assert index.story_of("a") == index.story_of("b") == story.story_id


def _load_in_batches(store: Store, batches):
    topic, rules = load_topic(), load_rules()
    all_outcomes = []
    for batch in batches:
        raws = [
            RawPage(p.url, p.url, p.html, p.published + timedelta(days=2), language_hint=p.language)
            for p in batch
        ]
        analysed = [analyse(r, topic, rules) for r in raws]
        with store.connect() as con:
            index = dedupe_repo.index_for(con, analysed)
        outcomes = decide(analysed, index)
        store.load(outcomes, "run-1", T0)
        all_outcomes += outcomes
    return all_outcomes


def _counts(store: Store) -> dict:
    with store.connect() as con:
        return {
            t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in ("stories", "story_articles", "dedupe_keys", "articles", "story_merges")
        }


def test_stories_fill_incrementally_across_batches_and_a_second_load_changes_nothing(tmp_path):
    store = Store(tmp_path / "n.duckdb")
    store.migrate()
    truth = pages()
    # one page per batch: every link is found through the stored keys, not within a batch
    outcomes = _load_in_batches(store, [[p] for p in truth])
    by_url = {o.url: o for o in outcomes}
    story_events = {}
    for p in truth:
        story_events.setdefault(by_url[p.url].story.story_id, set()).add(p.event)
    assert all(len(e) == 1 for e in story_events.values()) and len(story_events) == 4
    before = _counts(store)
    assert before["stories"] == 4 and before["story_articles"] == len(truth)
    store.load(outcomes, "run-2", T0 + timedelta(days=1))  # the same batch again
    assert _counts(store) == before
    with store.connect() as con:
        rows = story_repo.list_stories(con)
        signing = next(r for r in rows if r["event_day"].isoformat() == "2024-06-19")
        assert signing["languages"] == ["de", "en", "ru"] and signing["article_count"] == 6
        assert json.loads(signing["headlines"])["de"].startswith("Putin und Kim")
        timeline = story_repo.timeline(con, signing["story_id"])
        assert {r["language"] for r in timeline} == {"de", "en", "ru"}
        de = next(r for r in timeline if r["language"] == "de")
        assert de["hours_after_first_report"] == 3.0
        # articles carry their story
        assert (
            con.execute(
                "SELECT count(DISTINCT story_id) FROM articles WHERE article_id IN "
                "(SELECT article_id FROM story_articles WHERE story_id = ?)",
                [signing["story_id"]],
            ).fetchone()[0]
            == 1
        )


def test_batch_reads_only_articles_sharing_a_key(tmp_path):
    store = Store(tmp_path / "n.duckdb")
    store.migrate()
    truth = pages()
    _load_in_batches(store, [[p for p in truth if p.event == "signing"]])
    topic, rules = load_topic(), load_rules()
    other = [p for p in truth if p.event == "council" and p.language == "ru"]
    analysed = [
        analyse(
            RawPage(p.url, p.url, p.html, p.published + timedelta(days=2), language_hint="ru"), topic, rules
        )
        for p in other
    ]
    with store.connect() as con:
        # months later, other numbers, no paragraph in common: nothing is read
        assert dedupe_repo.candidates(con, dedupe_repo.batch_keys(analysed)) == []
        same = [p for p in truth if p.path == "herald/signing-en-near.html"]
        analysed = [analyse(RawPage(p.url, p.url, p.html, T0), topic, rules) for p in same]
        found = {k.canonical_url for k in dedupe_repo.candidates(con, dedupe_repo.batch_keys(analysed))}
        assert "http://127.0.0.9/wire/signing-en-original.html" in found


def test_merges_are_recorded_and_old_ids_resolve(tmp_path):
    store = Store(tmp_path / "n.duckdb")
    store.migrate()
    rows = [
        Outcome(
            url="http://x/a", status="loaded", article_id="a", story=StoryRow("a", "original"), language="en"
        ),
        Outcome(
            url="http://x/b", status="loaded", article_id="b", story=StoryRow("b", "original"), language="de"
        ),
    ]
    with store.connect() as con:
        story_repo.write(con, rows, "r1", T0)
        link = Outcome(
            url="http://x/c",
            status="loaded",
            article_id="c",
            language="ru",
            story=StoryRow("a", "translation", "a", 1.0, {"shared_numbers": ["160"]}, merged=("b",)),
        )
        story_repo.write(con, [link], "r2", T0)
        assert story_repo.resolve(con, "b") == "a"
        assert [r["story_id"] for r in story_repo.list_stories(con)] == ["a"]
        assert con.execute("SELECT count(*) FROM story_articles WHERE story_id = 'a'").fetchone()[0] == 3
        assert story_repo.timeline(con, "b")  # the old id still shows the story


def test_nightly_links_every_loaded_page_and_copy_to_a_story(demo_db):
    from .conftest import rows

    path, _ = demo_db
    unlinked = rows(
        path,
        "SELECT u.url FROM urls u LEFT JOIN story_articles sa ON sa.url = u.url "
        "WHERE u.status IN ('loaded', 'duplicate') AND sa.url IS NULL",
    )
    assert unlinked == []
    # every story row summarises its pages; every article's story_id is a current story
    assert rows(path, "SELECT count(*) FROM stories")[0][0] > 0
    assert (
        rows(
            path,
            "SELECT count(*) FROM stories s WHERE article_count <> "
            "(SELECT count(*) FROM story_articles sa WHERE sa.story_id = s.story_id)",
        )[0][0]
        == 0
    )
    assert (
        rows(path, "SELECT count(*) FROM articles WHERE story_id NOT IN (SELECT story_id FROM stories)")[0][0]
        == 0
    )


def test_dedupe_command_prints_one_line_per_page_in_input_order(tmp_path):
    from typer.testing import CliRunner

    from flows.cli import app

    chosen = [p for p in pages() if p.event == "duma"]
    paths, manifest = [], tmp_path / "manifest.jsonl"
    with manifest.open("w") as out:
        for i, p in enumerate(reversed(chosen)):
            f = tmp_path / f"page{i}.html"
            f.write_text(p.html.replace(f'href="{p.url}"', "").replace(f'content="{p.url}"', ""))
            out.write(json.dumps({"path": str(f), "url": p.url}) + "\n")
            paths.append(str(f))
    result = CliRunner().invoke(app, ["dedupe", *paths, "--manifest", str(manifest), "--json"])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.output.splitlines()]
    assert [r["path"] for r in lines] == paths
    assert [r["url"] for r in lines] == [p.url for p in reversed(chosen)]
    assert set(lines[0]) == {"path", "url", "canonical", "relevant", "group", "story", "relation"}
    assert len({r["story"] for r in lines}) == 1
    relations = {r["url"].rsplit("/", 1)[1]: r["relation"] for r in lines}
    assert (
        relations["duma-en-exact.html"] == "copy" and relations["duma-de-translation.html"] == "translation"
    )


def test_dedupe_command_bad_input_is_one_line_and_exit_1(tmp_path):
    from typer.testing import CliRunner

    from flows.cli import app

    page = tmp_path / "page.html"
    page.write_text("<html><body><p>text</p></body></html>")
    manifest = tmp_path / "manifest.jsonl"
    manifest.write_text("{not json\n")
    runner = CliRunner()
    bad_manifest = runner.invoke(app, ["dedupe", str(page), "--manifest", str(manifest)], terminal_width=400)
    missing = runner.invoke(app, ["dedupe", str(tmp_path / "gone.html")], terminal_width=400)
    for result in (bad_manifest, missing):
        assert result.exit_code == 1, result.output
        assert len(result.output.strip().splitlines()) == 1, result.output
    assert "gone.html" in missing.output


def test_stories_command_lists_and_shows_a_timeline(tmp_path):
    from typer.testing import CliRunner

    from flows.cli import app

    store = Store(tmp_path / "n.duckdb")
    store.migrate()
    _load_in_batches(store, [pages()])
    runner = CliRunner()
    listed = runner.invoke(app, ["stories", "--db", str(store.path)])
    assert listed.exit_code == 0 and "4 stories" in listed.output
    with store.connect() as con:
        sid = story_repo.list_stories(con)[0]["story_id"]
    shown = runner.invoke(app, ["stories", "--story", sid, "--db", str(store.path)])
    assert shown.exit_code == 0 and sid in shown.output
    assert runner.invoke(app, ["stories", "--since", "June", "--db", str(store.path)]).exit_code == 1


def _migrated_to(con, version: int) -> None:
    from tasks import db

    con.execute(
        "CREATE TABLE schema_version (version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ DEFAULT now())"
    )
    for number, path in db.migrations():
        if number <= version:
            con.execute(path.read_text(encoding="utf-8"))
            con.execute("INSERT INTO schema_version (version) VALUES (?)", [number])


def test_number_keys_are_stored_with_their_day_and_old_keys_are_rekeyed(tmp_path):
    from tasks import db

    with db.connect(tmp_path / "k.duckdb") as con:
        _migrated_to(con, 48)
        con.execute(
            "INSERT INTO dedupe_keys VALUES ('n:160', 'a', DATE '2024-06-19'), ('n:160', 'b', NULL), "
            "('b3:ff', 'a', DATE '2024-06-19')"
        )
        db.migrate(con)
        # 049 gave the number its day; 057 made it the sole-number key of an article stating only that one
        assert con.execute("SELECT key, article_id FROM dedupe_keys ORDER BY ALL").fetchall() == [
            ("b3:ff", "a"),
            ("s:160@2024-06-19", "a"),
        ]
        day = T0.date()
        assert dedupe_repo.stored_key("s:160", day) == "s:160@2024-06-19"
        assert dedupe_repo.stored_key("w:e:duma|n:160", None) is None
        assert dedupe_repo.stored_key("b3:ff", None) == "b3:ff"
        probe = dedupe_repo.probe_keys(
            [{"key": "s:160", "day": day + timedelta(days=3)}, {"key": "u:x", "day": None}]
        )
        assert "s:160@2024-06-19" in probe and "u:x" in probe and len(probe) == 8
        far = dedupe_repo.probe_keys([{"key": "s:160", "day": day + timedelta(days=4)}])
        assert "s:160@2024-06-19" not in far
        assert dedupe_repo.probe_keys([{"key": "w:e:duma|n:160", "day": None}]) == []


def test_key_lookups_are_answered_from_the_index_not_a_scan(tmp_path):
    from tasks import db

    with db.connect(tmp_path / "k.duckdb") as con:
        db.migrate(con)
        con.execute(
            "INSERT INTO dedupe_keys SELECT 'b1:' || md5(i::VARCHAR), 'x' || (i // 20), NULL FROM range(200000) t(i)"
        )
        con.execute("CHECKPOINT")
        wanted = [con.execute("SELECT 'b1:' || md5('77')").fetchone()[0], "p:it's quoted", "u:none"]
        statement = bulk.lookup_sql("SELECT article_id FROM dedupe_keys", "key", wanted)
        plan = "\n".join(row[1] for row in con.execute("EXPLAIN ANALYZE " + statement).fetchall())
        assert "Index Scan" in plan and "Sequential Scan" not in plan
        assert con.execute(statement).fetchall() == [("x3",)]
        keys = [{"key": k, "day": None} for k in wanted]
        assert dedupe_repo.candidates(con, keys) == []  # keys without an article: nothing read, no error


def test_pair_keys_are_looked_up_in_the_rows_of_their_days_only(tmp_path):
    from tasks import db

    with db.connect(tmp_path / "d.duckdb") as con:
        db.migrate(con)
        # a night's keys after a month of others: written in the order of their days
        con.execute(
            "INSERT INTO dedupe_keys SELECT 'w:e:duma|n:' || (i % 997) || '@' || strftime(DATE '2024-06-01' + "
            "(i // 10000)::INT, '%Y-%m-%d'), 'x' || i, DATE '2024-06-01' + (i // 10000)::INT FROM range(300000) t(i)"
        )
        con.execute("INSERT INTO dedupe_keys VALUES ('u:http://a/', 'a', DATE '2024-06-30')")
        con.execute("CHECKPOINT")
        keys = [
            {"key": "w:e:duma|n:5", "day": T0.date(), "item": 0},  # 2024-06-19: meets 06-16 .. 06-22
            {"key": "u:http://a/", "day": T0.date(), "item": 0},
        ]
        found = sorted(dedupe_repo.key_holders(con, keys))
        every = sorted(
            bulk.lookup(con, "SELECT key, article_id FROM dedupe_keys", "key", dedupe_repo.probe_keys(keys))
        )
        assert found == every and ("u:http://a/", "a") in found
        assert {k.split("@")[1] for k, _ in found if k.startswith("w:")} == {
            f"2024-06-{d}" for d in range(16, 23)
        }
        # the day filter reaches the scan, so row groups of other days are skipped by their statistics
        statement = (
            "EXPLAIN SELECT key FROM dedupe_keys WHERE day BETWEEN DATE '2024-06-16' AND DATE '2024-06-22' "
            "AND key IN (SELECT unnest(['w:e:duma|n:5@2024-06-19']))"
        )
        plan = "\n".join(row[1] for row in con.execute(statement).fetchall())
        assert "Filters:" in plan and "day>='2024-06-16'" in plan.replace(" ", "")


def test_reports_in_other_words_link_by_their_own_figures_and_distinct_figures_keep_them_apart():
    from tasks.stories import Fingerprint

    def fp(numbers, all_numbers, entities=(), names=(), language="en", hours=0.0):
        return Fingerprint(
            language,
            T0 + timedelta(hours=hours),
            frozenset(numbers),
            frozenset(entities),
            frozenset(names),
            tuple(all_numbers),
            lead_numbers=frozenset(numbers),  # short reports: every figure in the lead
        )

    vote_ru = fp({"165"}, ("165", "24", "1961", "2000"), {"federation_council"}, {"putin"}, "ru")
    vote_ja = fp({"165"}, ("6", "165", "2024", "21", "10", "24"), {"federation_council"}, {"putin"}, "ja", 2)
    assert judge(vote_ja, vote_ru).relation == "report"  # the one figure of a named event, nothing else
    other_vote = fp({"165", "397"}, ("165", "397", "24"), {"federation_council"}, {"putin"}, "ja", 2)
    assert judge(other_vote, vote_ru) is None  # a figure only one side states, little else in common
    assert judge(vote_ja, fp({"165"}, ("165",), {"duma"}, {"putin"}, "ru")) is None  # another event named
    assert judge(fp({"165"}, ("165",), {"federation_council"}, (), "ja", 40), vote_ru) is None  # days apart
    arms_ko = fp({"170", "240", "20000"}, ("20000", "5", "170", "240", "11"), language="ko")
    arms_en = fp({"170", "240", "20000"}, ("20000", "170", "240", "23", "24"), hours=2)
    assert judge(arms_en, arms_ko).relation == "report"  # several figures, all in common
    recycled = fp({"170", "240", "20000", "3000", "45"}, ("170", "240", "20000", "3000", "45"), hours=2)
    assert judge(recycled, arms_ko) is None  # recycled background figures plus figures of its own


def _article(title: str, *paragraphs: str, hours: float = 0.0, language: str = "en"):
    return fingerprint(title, "\n".join(paragraphs), language, T0 + timedelta(hours=hours))


_SPY_AGENCY = (
    "South Korea's National Intelligence Service said last week that about 10,000 North Korean soldiers had been "
    "sent to Russia's Far East."
)
_VOLODIN = "Duma speaker Vyacheslav Volodin called the vote a response to Western pressure."


def test_a_figure_only_in_a_longer_reports_background_links_but_two_votes_stay_apart():
    treaty = _article(
        "Russian lawmakers ratify defence treaty with North Korea",
        "Russian lawmakers on Thursday ratified the strategic partnership treaty with North Korea. All 397 "
        "deputies present voted in favour.",
        _VOLODIN,
        _SPY_AGENCY,
    )
    # a shorter report of the same vote: its figure, not the background paragraph's
    short = _article(
        "Russian lawmakers back pact with Pyongyang",
        "Lawmakers in Moscow ratified the treaty with North Korea unanimously on Thursday, with 397 votes, as "
        "speaker Vyacheslav Volodin had promised.",
        hours=3,
    )
    link = judge(short, treaty)
    assert link is not None and link.relation == "report"
    assert link.evidence["background_numbers"] == ["10000"]
    # another vote of the same chamber the next day: one figure in common (the background's), one apart
    other_vote = _article(
        "Russian lawmakers approve second agreement with North Korea",
        "Russian lawmakers on Friday ratified an agreement with North Korea on legal assistance. 412 deputies "
        "voted in favour.",
        _VOLODIN,
        _SPY_AGENCY,
        hours=20,
    )
    assert judge(other_vote, treaty) is None and judge(treaty, other_vote) is None
    # ... and when its report leaves its own count out, the count in the other's lead still keeps them apart
    uncounted = _article(
        "Russian lawmakers approve second agreement with North Korea",
        "Russian lawmakers on Friday ratified an agreement with North Korea on legal assistance.",
        _VOLODIN,
        _SPY_AGENCY,
        hours=20,
    )
    assert judge(uncounted, treaty) is None and judge(treaty, uncounted) is None


def test_an_edited_reprint_keeping_half_the_text_is_a_copy_only_with_the_same_figures():
    from tasks.stories import Fingerprint

    def fp(numbers, entities=()):
        return Fingerprint("en", T0, frozenset(numbers), frozenset(entities), all_numbers=tuple(numbers))

    wire = fp({"170", "240", "20000"})
    assert judge(fp({"170", "240", "20000"}), wire, containment=0.55).relation == "copy"
    assert judge(fp({"170", "240", "20000"}), wire, containment=0.45) is None or (
        judge(fp({"170", "240", "20000"}), wire, containment=0.45).relation != "copy"
    )
    assert judge(fp({"170", "240"}), fp({"170", "240"}), containment=0.55).relation == "report"
    # a figure of its own, or too few figures to tell one article from another: not a copy under 0.6
    for other in (
        fp({"170", "240", "20000", "3000"}),
        fp({"170", "240"}),
        fp({"170", "240", "20000"}, {"duma"}),
    ):
        link = judge(other, wire, containment=0.55)
        assert link is None or link.relation != "copy"
