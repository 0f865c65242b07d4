"""A language outside the configured set is never silently dropped: scored on every language's terms (the story's
names and places are the same in most languages), and counted per language in the run summary, loaded or not."""

from __future__ import annotations

from pathlib import Path

import pytest

from flows.demo import DEMO_NOW
from tasks import clock
from tasks.langid import unconfigured_irrelevant
from tasks.models import Outcome
from tasks.relevance.score import score_relevance
from tasks.relevance.topic import load_topic

from .conftest import rows, run_nightly

SITES = Path(__file__).resolve().parent.parent / "simweb" / "unconfigured"  # one Swedish publisher


def test_an_unconfigured_language_is_scored_on_every_languages_terms():
    topic = load_topic()
    assert "sv" not in topic.languages
    title = "Putin och Kim Jong Un skrev under försvarspakt i Pyongyang"
    text = "Rysslands president Vladimir Putin och Kim Jong Un möttes i Pyongyang. Sergej Lavrov var med."
    relevance = score_relevance(title, text, topic, "sv")
    assert {"Putin", "Kim Jong Un", "Lavrov"} <= set(relevance.matched["leaders"])
    assert "Putin" in relevance.matched["russia"]  # a head of state names his country in every language
    assert {"Kim Jong Un", "Pyongyang"} <= set(relevance.matched["north_korea"])
    assert relevance.score > 0 and relevance.reason  # judged, with its reason, never skipped


def test_turned_down_pages_of_unconfigured_languages_are_counted_per_language():
    outcomes = [
        Outcome(url="u1", status="irrelevant", language="sv"),
        Outcome(url="u2", status="irrelevant", language="sv-SE"),
        Outcome(url="u3", status="irrelevant", language=None),
        Outcome(url="u4", status="irrelevant", language="de"),  # configured: the usual counts say it
        Outcome(url="u5", status="loaded", language="sv"),  # loaded: counted as language_unconfigured:sv
        Outcome(url="u6", status="duplicate", language="sv"),  # a copy misses nothing
    ]
    assert unconfigured_irrelevant(outcomes, load_topic().languages) == {
        "language_unconfigured_irrelevant:sv": 2,
        "language_unconfigured_irrelevant:und": 1,
    }


@pytest.fixture(scope="module")
def swedish_run(prefect_harness, tmp_path_factory):
    from simweb import SimWeb

    tmp = tmp_path_factory.mktemp("unconfigured")
    with SimWeb(now=DEMO_NOW, faults=None, sites_dir=SITES) as web:
        clock.set_now(DEMO_NOW, ticking=True)
        try:
            summary = run_nightly(web, tmp, tmp / "news.duckdb")
        finally:
            clock.set_now(None)
        truth = {t.canonical_url: t for t in web.truth()}
    return tmp / "news.duckdb", summary, truth


def test_a_nightly_counts_an_unconfigured_language_in_its_summary(swedish_run):
    path, summary, truth = swedish_run
    assert {t.language for t in truth.values()} == {"sv"} and len(truth) == 4
    status = dict(rows(path, "SELECT url, status FROM urls"))
    assert set(status) == set(truth)  # every page was fetched and decided: none skipped for its language
    loaded = rows(path, "SELECT canonical_url, language, language_method, relevance_reason FROM articles")
    # the two on the story, named in Swedish: scored on the names and places every language shares
    assert {url for url, *_ in loaded} == {u for u, t in truth.items() if t.on_topic}
    assert {(lang, method) for _, lang, method, _ in loaded} == {("sv", "text")}
    assert all(reason.startswith("subject:") for *_, reason in loaded)
    counts = summary["counts"]
    assert counts["language_unconfigured:sv"] == 2
    # the other two are judged irrelevant, each with its reason, and counted under their language
    assert counts["language_unconfigured_irrelevant:sv"] == 2
    reasons = dict(rows(path, "SELECT url, reason FROM urls WHERE status = 'irrelevant'"))
    aside = next(u for u in truth if "putin-i-hanoi" in u)  # Putin in Vietnam, one line on the pact
    off = next(u for u in truth if "riksdagen" in u)
    assert reasons[aside].startswith("aside:") and reasons[off].startswith("off_topic")
    scores = dict(rows(path, "SELECT url, relevance FROM urls"))
    assert scores[aside] > 0 and scores[off] == 0
