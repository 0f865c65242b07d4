"""The synthetic web of bench/scale.py: deterministic pages, sitemaps listing them, ground truth that holds."""

from __future__ import annotations

import requests
from lxml import etree

from simweb.synthetic import SITEMAP_PATH, SyntheticCorpus, SyntheticWeb
from tasks.dedupe import text_hash
from tasks.extract import extract_page
from tasks.relevance.score import score_relevance
from tasks.relevance.topic import load_topic

NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def _locs(xml: bytes) -> list[str]:
    return [node.text for node in etree.fromstring(xml).findall("sm:url/sm:loc", NS)]


def test_pages_are_the_same_from_one_corpus_to_the_next_and_differ_by_seed():
    a, b = SyntheticCorpus(40, 2, seed=7), SyntheticCorpus(40, 2, seed=7)
    assert [a.page(i) for i in range(40)] == [b.page(i) for i in range(40)]
    assert a.html(13, "http://h") == b.html(13, "http://h")
    assert a.html(13, "http://h") != SyntheticCorpus(40, 2, seed=8).html(13, "http://h")
    assert len({a.article(i)[1][0] for i in range(40)}) == 40  # no two pages open with the same paragraph


def test_each_host_lists_its_pages_and_serves_them():
    corpus = SyntheticCorpus(40, 2, seed=1)
    with SyntheticWeb(corpus) as web:
        assert len(web.base_urls) == 2 and len(set(web.base_urls)) == 2
        listed = []
        for h, base in enumerate(web.base_urls):
            sitemap = requests.get(base + SITEMAP_PATH, timeout=5)
            assert sitemap.status_code == 200
            locs = _locs(sitemap.content)
            assert locs == [web.url(i) for i in corpus.host_pages(h)]
            assert len(locs) == 20
            listed += locs
            again = requests.get(
                base + SITEMAP_PATH, headers={"If-None-Match": sitemap.headers["ETag"]}, timeout=5
            )
            assert again.status_code == 304  # a second run finds nothing new
        assert sorted(listed) == sorted(web.url(i) for i in range(40))

        page = requests.get(web.url(5), timeout=5)
        assert page.status_code == 200 and page.text == corpus.html(5, web.base_urls[1])
        # a page asked for on the wrong host, or an unknown number, is not there
        wrong_host = web.base_urls[0] + corpus.page(5).path
        assert requests.get(wrong_host, timeout=5).status_code == 404
        assert (
            requests.get(web.base_urls[1] + "/world/2024/06/19/a-b-c-99.html", timeout=5).status_code == 404
        )
        stats = web.stats()
        assert [s.articles for s in stats] == [0, 1]


def test_ground_truth_matches_what_the_stages_make_of_the_pages():
    corpus = SyntheticCorpus(200, 4, seed=3, duplicate_share=0.05, offtopic_share=0.05)
    truth = corpus.truth()
    assert truth.articles + truth.duplicates + truth.offtopic == 200
    assert truth.duplicates > 0 and truth.offtopic > 0
    assert truth.per_host == [50, 50, 50, 50]
    topic = load_topic()
    hashes: dict[str, int] = {}
    for i in range(200):
        page = corpus.page(i)
        url = "http://127.0.0.100:1" + page.path
        extracted = extract_page(corpus.html(i, "http://127.0.0.100:1"), url)
        assert extracted.language == page.language
        relevant = score_relevance(extracted.title, extracted.text, topic, page.language).relevant
        assert relevant == (page.kind != "offtopic"), (i, page.kind)
        key = text_hash(extracted.text)
        if page.kind == "duplicate":
            assert hashes[key] == page.original  # the same text as an earlier article
            assert corpus.page(page.original).published < page.published
        elif page.kind == "article":
            assert key not in hashes  # every article its own text
            hashes[key] = i
