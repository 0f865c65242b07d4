"""Which stored articles a page is compared with: bounded per page, and name and number keys only nearby in time.

A busy day brings hundreds of articles naming the same events, people and figures. A page is compared with
every article sharing its URL, text, a paragraph or an LSH band, but with at most NAME_CANDIDATES of those found
only by pair keys of names and numbers, and only with those published within NUMBER_DAYS of it, whether they
are held in the run's index or stored in the database.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tasks import dedupe
from tasks.dedupe import NAME_CANDIDATES, NUMBER_DAYS, DedupeIndex, KnownArticle, pick_candidates, text_hash

DAY = datetime(2024, 11, 4, 9, 0, tzinfo=UTC)


def article(i: int, published: datetime, extra: str = "") -> KnownArticle:
    text = (
        f"Report {i} from the wire desk {extra}.\n"
        f"The Duma ratified the treaty; 12,000 soldiers were sent to Kursk, Lavrov said on day {i}."
    )
    return KnownArticle(
        f"a{i:04d}", f"http://127.0.0.1/n/{i}", text_hash(text), None, f"Headline {i}", text, "en", published
    )


def test_strong_keys_always_count_and_pair_keys_are_capped_most_shared_first():
    duma_lavrov = "w:e:duma|e:lavrov"
    held = {
        "h:x": {"a1"},
        **{
            f"{duma_lavrov}@{(DAY + timedelta(days=d)).date()}": {f"w{j}" for j in range(100)}
            for d in range(-3, 4)
        },
        f"w:e:duma|n:12000@{DAY.date()}": {"w7", "w8"},
    }
    keys = ["h:x", duma_lavrov, "w:e:duma|n:12000"]
    picked = pick_candidates(keys, DAY.date(), lambda k: held.get(k, set()), limit=5)
    assert "a1" in picked  # a text-hash match is always compared
    assert {"w7", "w8"} <= picked  # they share two keys: ranked first
    assert len(picked - {"a1"}) == 5
    assert (
        pick_candidates([duma_lavrov], None, lambda k: held.get(k, set())) == set()
    )  # no day: pairs find nothing
    assert "a1" not in pick_candidates(["h:x"], DAY.date(), lambda k: held.get(k, set()), exclude="a1")


@pytest.fixture
def judged(monkeypatch) -> list[str]:
    """The ids each `relate` judged against, in order."""
    calls: list[str] = []
    real = dedupe.judge

    def counting(new, known, **kwargs):
        calls.append(known)
        return real(new, known, **kwargs)

    monkeypatch.setattr(dedupe, "judge", counting)
    return calls


def test_a_busy_day_compares_a_page_with_a_bounded_number_of_articles(judged):
    index = DedupeIndex([article(i, DAY + timedelta(minutes=i)) for i in range(3 * NAME_CANDIDATES)])
    index.relate(article(9999, DAY + timedelta(hours=2), extra="late edition"), None)
    assert 0 < len(judged) <= NAME_CANDIDATES


def test_names_and_numbers_only_meet_articles_within_a_few_days(judged):
    near = [article(i, DAY + timedelta(days=NUMBER_DAYS)) for i in range(3)]
    far = [article(i, DAY + timedelta(days=NUMBER_DAYS + 2)) for i in range(3, 6)]
    index = DedupeIndex(near + far)
    index.relate(article(9999, DAY, extra="late edition"), None)
    assert len(judged) == len(near)
    # the same text published far away is still found by its text hash: a copy is a copy whenever it appears
    copy = far[0]
    moved = KnownArticle(
        "a9998", "http://127.0.0.2/copy", copy.text_hash, None, copy.title, copy.text, "en", DAY
    )
    assert index.check(
        moved.canonical_url, moved.text_hash, moved.canonical_url, is_amp=False
    ).article_id == (copy.article_id)


def test_the_run_index_lets_go_of_the_least_recently_needed_and_takes_them_back():
    first, second, third = (article(i, DAY + timedelta(days=10 * i)) for i in range(3))
    index = DedupeIndex([first, second])
    index.extend([KnownArticle(first.article_id, "", "")])  # first needed again: second is now the oldest
    index.extend([third])
    assert index.evict(2, keep={third.article_id}) == 1
    assert index.held() == {first.article_id, third.article_id}
    # what went is no longer found by its URL, text or keys ...
    assert index.check(second.canonical_url, second.text_hash, "http://127.0.0.9/x", is_amp=False) is None
    assert all(second.article_id not in ids for ids in index._by_key.values())
    # ... until a batch reads it back from the database
    index.extend([second])
    found = index.check(second.canonical_url, second.text_hash, "http://127.0.0.9/x", is_amp=False)
    assert found is not None and found.article_id == second.article_id


def test_a_day_key_is_stored_for_at_most_key_cap_articles_of_that_day():
    """The pair every article of a busy day shares is stored for the first KEY_CAP of them (counting those the
    database holds, as the batch's lookup found them, and those this run holds); the rest keep their other keys,
    and the same pair on another day is a key of its own."""
    from tasks.dedupe import KEY_CAP

    index = DedupeIndex([])
    busy = [article(i, DAY + timedelta(minutes=i)) for i in range(KEY_CAP + 5)]
    stored = [set(index.add(a.article_id, a.canonical_url, a.text_hash, article=a)) for a in busy]
    pair = "w:e:duma|e:lavrov@" + DAY.date().isoformat()
    assert all(pair in keys for keys in stored[:KEY_CAP])
    assert not any(pair in keys for keys in stored[KEY_CAP:])
    assert all(f"u:{a.canonical_url}" in keys for a, keys in zip(busy, stored, strict=True))
    later = article(9000, DAY + timedelta(days=1))
    assert "w:e:duma|e:lavrov@" + later.published_at.date().isoformat() in index.add(
        later.article_id, later.canonical_url, later.text_hash, article=later
    )
    # held by the database (the batch's lookup) rather than by this run
    fresh = DedupeIndex([])
    fresh.know_holders({pair: {f"s{i}" for i in range(KEY_CAP)}})
    one = article(9001, DAY)
    assert pair not in fresh.add(one.article_id, one.canonical_url, one.text_hash, article=one)
    fresh.know_holders({pair: {f"s{i}" for i in range(KEY_CAP - 1)}})
    two = article(9002, DAY)
    assert pair not in fresh.add(two.article_id, two.canonical_url, two.text_hash, article=two)  # one held here
