"""Every configured language end to end on the development set (simweb/langset): identified, judged, cleaned."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from simweb.langset import cases, page_html
from tasks.clean import clean_title, load_rules
from tasks.models import RawPage
from tasks.process import analyse
from tasks.relevance.score import score_relevance
from tasks.relevance.topic import load_topic

TOPIC = load_topic()
RULES = load_rules()
CASES = cases()


def _analyse(case):
    raw = RawPage(url=f"http://127.0.0.9/{case.id}.html", final_url=None, html=page_html(case), fetched_at=datetime(2024, 11, 30, tzinfo=UTC))  # fmt: skip
    return analyse(raw, TOPIC, RULES)


def test_the_set_covers_every_configured_language_on_and_off_the_story():
    for language in TOPIC.languages:
        mine = [c for c in CASES if c.language == language]
        assert any(c.relevant for c in mine), language
        assert any(c.kind.startswith("aside") for c in mine), language
    kinds = {c.kind for c in CASES}
    assert {"aside:vietnam", "aside:missile", "aside:drone", "aside:summit", "aside:china"} <= kinds


@pytest.mark.parametrize("language", TOPIC.languages)
def test_language_relevance_and_boilerplate(language):
    for case in (c for c in CASES if c.language == language):
        item = _analyse(case)
        assert item.language == case.language, (case.id, item.page.language_method)
        assert item.relevance.relevant == case.relevant, (
            case.id,
            item.relevance.reason,
            item.relevance.matched,
        )
        if not case.relevant and case.kind.startswith("aside"):
            assert item.relevance.reason.startswith(("aside:", "off_topic")), case.id
        lines = item.text.split("\n")
        for cls, line in case.boilerplate:
            assert not any(line in kept for kept in lines), (case.id, cls, line)
        kept = {k.replace("\u200c", "") for k in lines}
        for paragraph in case.paragraphs:
            assert paragraph.replace("\u200c", "") in kept, (case.id, paragraph)


def test_markup_claiming_the_wrong_language_is_overruled_and_recorded():
    case = next(c for c in CASES if c.claimed)
    item = _analyse(case)
    assert item.page.language == case.language != case.claimed
    assert item.page.language_claimed == case.claimed


def test_an_aside_is_irrelevant_with_its_reason_and_the_subject_is_relevant():
    on = "Russia and North Korea sign a mutual defence treaty"
    body = "\n".join(["Putin met Kim Jong Un in Pyongyang.", "The pact obliges both to help if attacked."])
    assert score_relevance(on, body, TOPIC, "en").reason == "subject:title"
    aside = "\n".join(
        [
            "Russian President Vladimir Putin arrived in Hanoi for a two-day state visit to Vietnam.",
            "The two sides signed eleven agreements on energy and education.",
            "The visit came a day after Russia signed a defence treaty with North Korea in Pyongyang.",
            "Vietnam stressed its balanced foreign policy.",
        ]
    )
    rel = score_relevance("Putin arrives in Hanoi", aside, TOPIC, "en")
    # the title names Russia, the lead not North Korea: one paragraph of four names both with the treaty
    assert not rel.relevant and rel.reason == "aside:tied_share=0.25"
    assert rel.score >= TOPIC.scoring.threshold  # the score alone would have let it through


def test_cjk_compound_does_not_count_as_the_pair():
    rel = score_relevance("中俄朝三边关系研讨会", "学者讨论中俄朝合作与图们江出海口。", TOPIC, "zh")
    assert "俄朝" not in rel.matched.get("russia", []) and "俄朝" not in rel.matched.get("north_korea", [])
    assert score_relevance("俄朝签署条约", "普京与金正恩在平壤签署条约。", TOPIC, "zh").relevant


@pytest.mark.parametrize(
    ("language", "phrase", "group"),
    [
        ("tr", "Rusya'nın", "russia"),
        ("tr", "Kuzey Kore'ye", "north_korea"),
        ("uk", "з Росією", "russia"),
        ("pl", "z Koreą Północną", "north_korea"),
        ("cs", "se Severní Koreou", "north_korea"),
        ("ar", "والكرملين", "russia"),
        ("ar", "للمعاهدة", "pact"),
        ("fa", "پیونگ‌یانگ", "north_korea"),
        ("fa", "پیونگیانگ", "north_korea"),
        ("he", "ורוסיה", "russia"),
        ("he", "בקורסק", "military"),
        ("th", "กองทัพรัสเซียส่งทหาร", "russia"),
        ("hu", "Oroszországgal", "russia"),
        ("fr", "la République populaire démocratique de Corée", "north_korea"),
        # plural and noun forms, the state's full name, and Kursk naming Russia's side
        ("cs", "Severokorejští vojáci", "north_korea"),
        ("cs", "ruští vojáci", "russia"),
        ("pl", "Północnokoreańscy żołnierze", "north_korea"),
        ("pl", "rosyjscy żołnierze", "russia"),
        ("ru", "северокорейцы", "north_korea"),
        ("ru", "с Корейской Народно-Демократической Республикой", "north_korea"),
        ("ru", "в Курской области", "russia"),
        ("uk", "на Курщині", "russia"),
        ("uk", "північнокорейці", "north_korea"),
        ("ar", "جنود كوريين شماليين", "north_korea"),
        ("vi", "Hiệp ước Nga - Triều", "north_korea"),
        ("ko", "北·러 조약", "north_korea"),
        ("de", "im Gebiet Kursk", "russia"),
    ],
)
def test_morphology_matches(language, phrase, group):
    assert group in score_relevance(phrase, None, TOPIC, language).matched


def test_unknown_language_is_scored_on_every_language_terms():
    swedish = "Ryssland och Nordkorea undertecknade ett avtal. Putin och Kim Jong Un möttes i Pyongyang."
    rel = score_relevance("Putin och Kim Jong Un i Pyongyang", swedish, TOPIC, "sv")
    assert {"north_korea", "leaders"} <= set(rel.matched)


def test_titles_lose_site_names_and_chrome_with_the_cut_recorded():
    assert clean_title("No menu items!") == (None, clean_title("No menu items!")[1])
    assert clean_title("No menu items!")[1][0].rule == "title.chrome"
    title, removed = clean_title(
        "Putin – Kim summit: the treaty | The Korea Herald", "The Korea Herald", "koreaherald.com"
    )
    assert title == "Putin – Kim summit: the treaty"
    assert [(r.rule, r.snippet) for r in removed] == [("title.site", "The Korea Herald")]
    assert (
        clean_title("VnExpress - Nga và Triều Tiên ký hiệp ước", None, "vnexpress.net")[0]
        == "Nga và Triều Tiên ký hiệp ước"
    )
    # a dash inside the headline stays when no segment names the site
    assert clean_title("Putin - Kim summit", "Reuters", "reuters.com") == ("Putin - Kim summit", [])


def test_a_title_cut_is_recorded_with_the_page_removals():
    html = (
        "<html><head><title>Россия и КНДР ратифицировали договор | Вести</title>"
        "<meta property='og:site_name' content='Вести'></head><body><article>"
        "<p>Государственная дума ратифицировала договор о всеобъемлющем стратегическом партнерстве с КНДР.</p>"
        "<p>Договор подписали Путин и Ким Чен Ын в Пхеньяне.</p></article></body></html>"
    )
    raw = RawPage(url="http://127.0.0.9/r.html", final_url=None, html=html, fetched_at=datetime(2024, 11, 30, tzinfo=UTC))  # fmt: skip
    item = analyse(raw, TOPIC, RULES)
    assert item.page.title == "Россия и КНДР ратифицировали договор"
    assert any(r.rule == "title.suffix" and r.snippet == "Вести" for r in item.removed)
