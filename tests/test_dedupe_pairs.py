"""Names and numbers are keyed in pairs with their day: a busy day's name does not find every article naming it,
and every pair of articles the story rules link is still found.

A link by names and numbers (translation, report) needs two of them in common, or a single shared figure when
it is the only one either states (tasks.stories.judge); copies are found by paragraph and LSH band keys.
"""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import pytest

from simweb import storyset, storyset_holdout
from tasks import db
from tasks import dedupe as d
from tasks.clean import load_rules
from tasks.models import RawPage
from tasks.process import _published_key, analyse
from tasks.relevance.topic import load_topic
from tasks.repos import bulk
from tasks.repos import dedupe as dedupe_repo
from tasks.stories import Fingerprint, default_config, fingerprint, judge

DAY = datetime(2024, 11, 4, 9, 0, tzinfo=UTC)


def test_pair_keys_are_every_pair_of_names_and_numbers_and_a_sole_number():
    assert d.pair_keys({"12000"}, {"duma", "lavrov"}) == {
        "w:e:duma|e:lavrov",
        "w:e:duma|n:12000",
        "w:e:lavrov|n:12000",
        "s:12000",
    }
    assert d.pair_keys({"12000", "160"}, set()) == {"w:n:12000|n:160"}  # two numbers: no sole number
    assert d.pair_keys(set(), {"duma"}) == set()  # one name links nothing by itself
    many = d.pair_keys({str(1000 + i) for i in range(40)}, {"duma", "lavrov"})
    assert (
        len(many) == d.PAIR_ITEMS * (d.PAIR_ITEMS - 1) // 2
    )  # names first, then numbers, at most PAIR_ITEMS
    assert "w:e:duma|e:lavrov" in many
    keys = d.lookup_keys("http://127.0.0.1/a", "h", "text", None, frozenset({"12000"}), frozenset({"duma"}))
    assert not any(k.startswith(("e:", "n:")) for k in keys)  # no single name or number key any more
    assert {d.stored_key(k, DAY.date()) for k in keys if d.is_day_key(k)} == {
        "w:e:duma|n:12000@2024-11-04",
        "s:12000@2024-11-04",
    }


def test_a_sole_shared_figure_with_a_background_name_is_still_found():
    """The one rule linking by a single shared item: both state only that figure and name the same background."""
    a = Fingerprint(
        "en", DAY, frozenset({"12000"}), frozenset(), all_numbers=("12000",), background=frozenset({"putin"})
    )
    b = Fingerprint(
        "de", DAY + timedelta(hours=5), frozenset({"12000"}), frozenset(), all_numbers=("12000",),
        background=frozenset({"putin", "troops"}),
    )  # fmt: skip
    link = judge(a, b)
    assert link is not None and link.relation == "report"
    assert d.pair_keys(a.numbers, a.keyed_names) & d.pair_keys(b.numbers, b.keyed_names) == {"s:12000"}


@pytest.fixture(scope="module")
def analysed_sets():
    topic, rules = load_topic(), load_rules()
    out = {}
    for name, pages in (("development", storyset.pages()), ("holdout", storyset_holdout.pages())):
        out[name] = [
            analyse(RawPage(p.url, p.url, p.html, p.published, published_hint=p.published), topic, rules)
            for p in pages
        ]
    return out


def _keyed(item, config):
    published = _published_key(item)
    fp = fingerprint(item.page.title or "", item.text, item.language, published, config)
    signature = item.signature if item.signature is not None else d.minhash(item.text)
    keys = d.lookup_keys(item.canonical, item.digest, item.text, signature, fp.numbers, fp.keyed_names)
    day = published.date() if published else None
    stored = {s for s in (d.stored_key(k, day) for k in keys) if s}
    probed = {p for k in keys for p in d.probes(k, day)}
    return fp, signature, stored, probed


def test_every_pair_the_story_rules_link_in_both_story_sets_shares_a_key(analysed_sets):
    config = default_config()
    for name, items in analysed_sets.items():
        keyed = [(item, *_keyed(item, config)) for item in items if item.text]
        linked = by_pair = 0
        for (ia, fa, sa, _, pa), (ib, fb, sb, stb, _) in itertools.permutations(keyed, 2):
            contained = None
            if fa.language and fa.language == fb.language:
                contained = d.containment(d.shingles(ia.text), d.shingles(ib.text))
                if sa.jaccard(sb) >= d.NEAR_THRESHOLD:
                    contained = max(contained, sa.jaccard(sb))
            link = judge(fa, fb, containment=contained, config=config)
            if link is None:
                continue
            linked += 1
            shared = pa & stb
            assert shared, f"{name}: {ia.raw.url} {link.relation} {ib.raw.url} shares no key"
            if link.relation != "copy":
                by_pair += 1
                assert any(d.is_day_key(k) for k in shared), (name, ia.raw.url, ib.raw.url)
        assert linked > 50 and by_pair > 30  # the sets do exercise translations and reports


def _old_keys(fp, day) -> set[str]:
    """Name and number keys as stored before migration 057."""
    return {f"e:{n}@{day}" for n in fp.keyed_names} | {f"n:{n}@{day}" for n in fp.numbers}


def test_migration_rekeys_stored_names_and_numbers_as_the_pipeline_keys_them(tmp_path, analysed_sets):
    config = default_config()
    expected, old = {}, []
    articles = [
        (f"a{i}", fingerprint(it.page.title or "", it.text, it.language, _published_key(it), config))
        for i, it in enumerate(analysed_sets["development"])
    ]
    # and one stating more names and numbers than are keyed: the same ones are kept
    articles.append(
        ("big", Fingerprint("en", DAY, frozenset(str(500 + i) for i in range(30)), frozenset({"duma"})))
    )
    for aid, fp in articles:
        day = fp.published.date()
        old += [(k, aid, day) for k in _old_keys(fp, day)] + [(f"h:{aid}", aid, day)]
        expected[aid] = {d.stored_key(k, day) for k in d.pair_keys(fp.numbers, fp.keyed_names)} | {f"h:{aid}"}
    with db.connect(tmp_path / "k.duckdb") as con:
        con.execute(
            "CREATE TABLE schema_version (version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ DEFAULT now())"
        )
        for number, path in db.migrations():
            if number < 57:
                con.execute(path.read_text(encoding="utf-8"))
                con.execute("INSERT INTO schema_version (version) VALUES (?)", [number])
        rows = [{"key": k, "article_id": aid, "day": day} for k, aid, day in old]
        bulk.insert(con, "dedupe_keys", rows, ["key", "article_id", "day"])
        assert db.migrate(con) >= 57
        got: dict[str, set[str]] = {}
        for key, aid in con.execute("SELECT key, article_id FROM dedupe_keys").fetchall():
            got.setdefault(aid, set()).add(key)
    assert got == expected
    assert len(expected["big"]) == 1 + d.PAIR_ITEMS * (d.PAIR_ITEMS - 1) // 2


def _store(con, rows: list[tuple[str, set[str], set[str]]], day: datetime) -> None:
    """Stored articles (id, names, numbers) published on `day`, with their keys as the load writes them."""
    articles = [
        {
            "article_id": aid,
            "url": f"http://127.0.0.1/{aid}",
            "canonical_url": f"http://127.0.0.1/{aid}",
            "title": aid,
            "published_at": day,
            "language": "en",
            "text": f"text of {aid}",
            "text_hash": f"h{aid}",
            "story_id": aid,
            **dict.fromkeys(["extractor_version", "first_run_id", "last_run_id"], "t"),
            "loaded_at": day,
        }
        for aid, _, _ in rows
    ]
    keys = [
        {"key": d.stored_key(k, day.date()), "article_id": aid, "day": day.date()}
        for aid, names, numbers in rows
        for k in d.pair_keys(numbers, names)
    ]
    bulk.insert(con, "articles", articles, list(articles[0]))
    bulk.insert(con, "dedupe_keys", keys, ["key", "article_id", "day"])


def test_a_busy_days_name_does_not_make_the_lookup_read_every_article_naming_it(tmp_path):
    with db.connect(tmp_path / "k.duckdb") as con:
        db.migrate(con)
        # 300 articles of the day name the Duma, each with another name or figure; two name the Duma and Lavrov
        busy = [(f"busy{i}", {"duma", f"other{i % 40}"}, {str(1000 + i)}) for i in range(300)]
        _store(con, busy + [("x1", {"duma", "lavrov"}, set()), ("x2", {"duma", "lavrov"}, {"160"})], DAY)
        page = d.lookup_keys(
            "http://127.0.0.2/p", "hp", "text", None, frozenset({"12000"}), frozenset({"duma", "lavrov"})
        )
        keys = [{"key": k, "day": (DAY + timedelta(days=1)).date(), "item": 0} for k in page]
        read = dedupe_repo.key_holders(con, keys)
        assert {aid for _, aid in read} == {"x1", "x2"}  # not the 300 naming the Duma alone
        assert {k.article_id for k in dedupe_repo.candidates(con, keys)} == {"x1", "x2"}
