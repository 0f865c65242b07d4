"""An article's fingerprint is stored with it (`article_marks`) and read back by the batches comparing with it,
instead of reading its names and numbers out of its text again; a stored one that does not fit the article's
text, language or the name lists in use is made afresh."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from tasks import dedupe, stories
from tasks.dedupe import DedupeIndex, KnownArticle
from tasks.repos import dedupe as dedupe_repo
from tasks.store import Store
from tasks.stories import fingerprint, marks_fingerprint, marks_json
from tests.test_store import NOW, _full_outcomes

TITLE = "Russia and North Korea mark the treaty: 12,000 troops near Kursk"
TEXT = (
    "PYONGYANG — Kim Jong Un and Vladimir Putin met on 19 June 2024 and signed the treaty.\n"
    "The Duma ratified it with 160 votes; 12,000 soldiers were sent to Kursk, Lavrov said."
)
WHEN = datetime(2024, 6, 19, 9, 0, tzinfo=UTC)


def test_a_stored_fingerprint_reads_back_as_the_one_made_from_the_text():
    fp = fingerprint(TITLE, TEXT, "en-GB", WHEN)
    assert fp.numbers and fp.entities  # the example states figures and names
    back = marks_fingerprint(marks_json(fp, TITLE, TEXT), TITLE, TEXT, "en-GB", WHEN)
    assert back == fp and back.all_numbers == fp.all_numbers


@pytest.mark.parametrize(
    "title, text, language",
    [
        (TITLE, TEXT + "\nA new closing line with 300 more.", "en"),  # the text was edited since
        (TITLE + " (updated)", TEXT, "en"),  # so was the headline
        (TITLE, TEXT, "ru"),  # another language
    ],
)
def test_a_stored_fingerprint_of_another_version_is_not_used(title, text, language):
    marks = marks_json(fingerprint(TITLE, TEXT, "en", WHEN), TITLE, TEXT)
    assert marks_fingerprint(marks, title, text, language, WHEN) is None


def test_a_fingerprint_made_with_other_name_lists_or_unreadable_is_not_used(tmp_path):
    fp = fingerprint(TITLE, TEXT, "en", WHEN)
    marks = marks_json(fp, TITLE, TEXT)
    other = tmp_path / "stories.toml"
    other.write_text('[events]\ntreaty = ["treaty"]\n', encoding="utf-8")
    assert marks_fingerprint(marks, TITLE, TEXT, "en", WHEN, stories.load_link_config(other)) is None
    for broken in ("", "{", "[]", '{"v": 1}', marks.replace('"numbers":[', '"numbers":7,"x":[')):
        assert marks_fingerprint(broken, TITLE, TEXT, "en", WHEN) is None


def test_candidates_come_with_their_stored_fingerprint_and_are_not_read_again(tmp_path, monkeypatch):
    store = Store(tmp_path / "news.duckdb", lock_timeout=5)
    store.migrate()
    outcomes = _full_outcomes()
    store.load(outcomes, "run-1", NOW)
    a = outcomes[0].article
    page = KnownArticle("new", "https://b.example/x", "h2", None, a.title, a.text + "\nMore.", a.language,
                        a.published_at)  # fmt: skip
    keys = [
        {"key": k, "day": a.published_at.date(), "item": 0}
        for k in dedupe.lookup_keys(page.canonical_url, page.text_hash, a.text, dedupe.minhash(a.text),
                                    *_weak(page))
    ]  # fmt: skip
    with store.connect() as con:
        found = dedupe_repo.candidates(con, keys)
        assert [k.article_id for k in found] == [a.article_id]
        assert found[0].marks == a.marks
    expected = DedupeIndex([replace(found[0], marks=None)]).relate(page, None)

    def not_again(*args, **kwargs):
        if args[1] == a.text:
            raise AssertionError("the stored article was fingerprinted again")
        return real(*args, **kwargs)

    real = dedupe.fingerprint
    monkeypatch.setattr(dedupe, "fingerprint", not_again)
    assert DedupeIndex(found).relate(page, None) == expected


def _weak(article: KnownArticle):
    fp = fingerprint(article.title, article.text, article.language, article.published_at)
    return fp.numbers, fp.keyed_names
