"""The held-out story set (simweb/storyset_holdout.py) is well formed: its ground truth is consistent, its pages
are whole news pages in the languages they declare, and it shares no text with the development set."""

from __future__ import annotations

import html as htmllib
import re
from collections import Counter, defaultdict
from datetime import datetime

import pytest

from simweb import storyset, storyset_holdout
from tasks.langid import identify

PAGES = storyset_holdout.pages()
_P = re.compile(r"<p(?: class=\"c-article__lede\")?>(.*?)</p>", re.S)
_WORD = re.compile(r"\w+")


def _paragraphs(page_html: str) -> list[str]:
    """The article's own paragraphs (not the outlet's note lines)."""
    return [htmllib.unescape(p) for p in _P.findall(page_html)]


def _meta(page_html: str, prop: str) -> str | None:
    m = re.search(rf'<meta property="{re.escape(prop)}" content="([^"]*)"', page_html)
    return htmllib.unescape(m.group(1)) if m else None


def _canonical(page_html: str) -> str:
    return htmllib.unescape(re.search(r'<link rel="canonical" href="([^"]*)"', page_html).group(1))


def test_size_and_coverage_are_as_declared():
    assert 70 <= len(PAGES) <= 90
    assert len({p.event for p in PAGES}) == 12
    assert {p.language for p in PAGES} == set(storyset_holdout.LANGUAGES)
    assert {p.relation for p in PAGES} == set(storyset_holdout.RELATIONS)
    hosts = {re.match(r"http://[^/]+", p.url).group(0) for p in PAGES}
    assert len(hosts) >= 10
    by_language = Counter(p.language for p in PAGES)
    assert min(by_language.values()) >= 4, by_language


def test_paths_and_urls_are_unique():
    assert len({p.path for p in PAGES}) == len(PAGES)
    assert len({p.url for p in PAGES}) == len(PAGES)


def test_groups_stay_within_one_event_and_one_language_with_one_head():
    groups = defaultdict(list)
    for p in PAGES:
        groups[p.group].append(p)
    for name, members in groups.items():
        assert len({p.event for p in members}) == 1, name
        assert len({p.language for p in members}) == 1, name
        heads = [p for p in members if p.relation in ("original", "translation", "report")]
        assert len(heads) == 1, (name, [p.relation for p in members])
        assert all(p.relation in ("exact", "near") for p in members if p is not heads[0])


def test_every_event_has_one_original_and_translations_are_in_other_languages():
    events = defaultdict(list)
    for p in PAGES:
        events[p.event].append(p)
    for event, members in events.items():
        originals = [p for p in members if p.relation == "original"]
        assert len(originals) == 1, event
        for p in members:
            if p.relation == "translation":
                assert p.language != originals[0].language, p.path
        assert len({p.language for p in members}) >= 3, event  # every event crosses languages


def test_exact_copies_repeat_the_head_and_near_copies_differ_from_it():
    heads = {p.group: p for p in PAGES if p.relation in ("original", "translation", "report")}
    for p in PAGES:
        head = heads[p.group]
        if p.relation == "exact":
            assert _paragraphs(p.html) == _paragraphs(head.html), p.path
            assert _meta(p.html, "og:title") == _meta(head.html, "og:title"), p.path
        elif p.relation == "near":
            mine, theirs = _paragraphs(p.html), _paragraphs(head.html)
            assert mine != theirs and _meta(p.html, "og:title") != _meta(head.html, "og:title"), p.path
            assert set(mine) & set(theirs), p.path  # an edited reprint keeps some paragraphs word for word


def test_url_variants_point_their_canonical_at_a_page_of_their_group():
    by_url = {p.url: p for p in PAGES}
    variants = [p for p in PAGES if _canonical(p.html) != p.url]
    kinds = {
        "amp": any("/amp/" in p.url for p in variants),
        "print": any("output=print" in p.url for p in variants),
        "mobile": any("/mobile/" in p.url for p in variants),
        "tracking": any("utm_source=" in p.url for p in variants),
    }
    assert all(kinds.values()), kinds
    for p in variants:
        target = by_url[_canonical(p.html)]
        assert target.group == p.group and p.relation == "exact", p.path


def test_pages_are_whole_news_pages_with_their_publication_time():
    for p in PAGES:
        h = p.html
        assert h.startswith("<!doctype html>") and h.endswith("</html>"), p.path
        assert f'lang="{p.language}"' in h[:60], p.path
        assert "<title>" in h and "<footer" in h, p.path
        assert "<nav" in h or 'class="amp-header"' in h or 'class="m-header"' in h or "print-header" in h, (
            p.path
        )
        assert _meta(h, "og:url") == _canonical(h), p.path
        published = _meta(h, "article:published_time")
        assert published is not None, p.path
        assert datetime.fromisoformat(published) == p.published, p.path


@pytest.mark.parametrize("page", PAGES, ids=[p.path for p in PAGES])
def test_text_is_in_the_declared_language(page):
    title = _meta(page.html, "og:title")
    guess = identify("\n".join(_paragraphs(page.html)), title)
    assert guess.language == page.language, (guess, page.path)


def _grams(text: str, language: str) -> set:
    if language in ("ja", "zh", "ko"):  # no spaces between CJK words: 4-character runs
        text = re.sub(r"\s+", "", text)
        return {text[i : i + 4] for i in range(len(text) - 3)}
    words = _WORD.findall(text.lower())
    return {tuple(words[i : i + 5]) for i in range(len(words) - 4)}


def test_no_text_is_shared_with_the_development_set():
    """Written apart: a paragraph may share names and the treaty's title with the development set (about a
    third of its word 5-grams at most), never a sentence's worth of wording."""
    development = set()
    for p in storyset.pages():
        for paragraph in _paragraphs(p.html):
            development |= _grams(paragraph, "ja") | _grams(paragraph, "en")
    shared = []
    for p in PAGES:
        for paragraph in _paragraphs(p.html):
            grams = _grams(paragraph, p.language)
            if grams and len(grams & development) / len(grams) > 0.4:
                shared.append((p.path, paragraph[:60]))
    assert not shared
