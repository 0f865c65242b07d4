"""Language identification from the text, markup and feed hints as tie-breakers, and where it is stored."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

import pytest

from tasks.extract import extract_page
from tasks.langid import base, identify
from tasks.models import ArticleRow, Outcome
from tasks.repos import languages
from tasks.store import Store

NOW = datetime(2024, 11, 30, tzinfo=UTC)

TEXTS = {
    "uk": "Президент Росії підписав закон про ратифікацію договору з КНДР, повідомили у Кремлі.",
    "ru": "Президент России подписал закон о ратификации договора с КНДР, сообщили в Кремле.",
    "pl": "Prezydent Rosji podpisał ustawę o ratyfikacji traktatu z Koreą Północną.",
    "cs": "Ruský prezident podepsal zákon o ratifikaci smlouvy se Severní Koreou.",
    "tr": "Rusya Devlet Başkanı, Kuzey Kore ile yapılan anlaşmayı onaylayan yasayı imzaladı.",
    "vi": "Tổng thống Nga đã ký luật phê chuẩn hiệp ước với Triều Tiên.",
    "ar": "وقع الرئيس الروسي قانون المصادقة على المعاهدة مع كوريا الشمالية.",
    "fa": "رئیس‌جمهور روسیه قانون تصویب پیمان با کره شمالی را امضا کرد.",
    "hi": "रूस के राष्ट्रपति ने उत्तर कोरिया के साथ संधि के अनुमोदन संबंधी कानून पर हस्ताक्षर किए।",
    "th": "ประธานาธิบดีรัสเซียลงนามกฎหมายให้สัตยาบันสนธิสัญญากับเกาหลีเหนือ",
    "he": "נשיא רוסיה חתם על החוק לאשרור ההסכם עם צפון קוריאה.",
    "ja": "ロシア大統領は北朝鮮との条約を批准する法律に署名した。",
    "zh": "俄罗斯总统签署了批准与朝鲜条约的法律。",
    "ko": "러시아 대통령이 북한과의 조약 비준법에 서명했다.",
    "ms": "Presiden Rusia menandatangani undang-undang bagi meratifikasi perjanjian dengan Korea Utara, kata kerajaan.",
    "id": "Presiden Rusia meneken undang-undang ratifikasi perjanjian dengan Korea Utara, kata pemerintah.",
    "ro": "Președintele rus a semnat legea de ratificare a tratatului cu Coreea de Nord.",
    "hu": "Az orosz elnök aláírta az Észak-Koreával kötött szerződést ratifikáló törvényt.",
    "nl": "De Russische president heeft de wet ondertekend die het verdrag met Noord-Korea ratificeert.",
    "it": "Il presidente russo ha firmato la legge che ratifica il trattato con la Corea del Nord.",
    "pt": "O presidente russo assinou a lei que ratifica o tratado com a Coreia do Norte.",
}


@pytest.mark.parametrize("language", sorted(TEXTS))
def test_the_text_decides_the_language(language):
    guess = identify(TEXTS[language])
    assert guess.language == language, guess
    assert guess.confidence > 0.5


def test_markup_that_claims_another_language_loses_to_the_text():
    guess = identify(TEXTS["uk"], markup="ru-RU")
    assert (guess.language, guess.claimed) == ("uk", "ru-RU")


def test_a_hint_breaks_a_tie_between_close_languages():
    # a short Ukrainian/Russian-ambiguous line: the model is unsure, the markup names a candidate
    text = "Путін і Кім: договір підписано"
    unhinted = identify(text)
    hinted = identify(text, markup="uk")
    assert hinted.language == "uk"
    assert unhinted.confidence < 1.0


def test_without_text_the_hints_speak_and_are_marked_as_hints():
    assert identify("", markup=None, feed="de").language == "de"
    assert identify("", markup=None, feed="de").method == "hint"
    assert identify("", markup="fr", feed="de").language == "fr"
    assert identify(None).language is None and identify(None).method == "none"


def test_scripts_that_belong_to_one_language_decide():
    assert identify("北朝鮮とロシアの条約が発効した。").method == "script"
    assert identify("북한과 러시아의 조약 체결").language == "ko"
    assert identify("俄罗斯与朝鲜签署条约，普京访问平壤。").language == "zh"


def test_base_codes():
    assert base("pt-BR") == "pt" and base("zh_Hant") == "zh" and base("EN") == "en"
    assert base("nb-NO") == "no" and base("x") is None and base("") is None and base("12") is None


def test_extract_page_identifies_from_text_and_keeps_the_claim():
    html = (
        "<html lang='en'><head><title>T</title></head><body><article>"
        f"<p>{TEXTS['pl']}</p><p>{TEXTS['pl']}</p></article></body></html>"
    )
    page = extract_page(html, "https://example.pl/a.html", language_hint="de")
    assert page.language == "pl"
    assert page.language_claimed == "en"
    assert page.language_method == "text" and page.language_confidence > 0.9


def test_language_columns_are_written_with_the_load(tmp_path):
    store = Store(tmp_path / "news.duckdb", lock_timeout=5)
    store.migrate()
    url = "https://a.example/0.html"
    row = ArticleRow(
        article_id="a1", url=url, canonical_url=url, title="T", authors=[], published_at=NOW, language="uk",
        site="A", source="feed", text="x", text_hash="h", relevance=3.0, matched_terms={}, story_id="a1",
        extraction_method="trafilatura", extractor_version="v1", language_confidence=0.99,
        language_method="text", language_claimed="ru", relevance_reason="subject:title",
    )  # fmt: skip
    store.load([Outcome(url=url, status="loaded", article_id="a1", article=row)], "run-1", NOW)
    # a second load with other values updates them (reprocessing)
    again = dataclasses.replace(row, language_confidence=0.5, relevance_reason="subject:lead")
    store.load([Outcome(url=url, status="loaded", article_id="a1", article=again)], "run-2", NOW)
    with store.connect() as con:
        got = con.execute(
            "SELECT language, language_confidence, language_method, language_claimed, relevance_reason "
            "FROM articles"
        ).fetchall()
        assert got == [("uk", 0.5, "text", "ru", "subject:lead")]
        assert languages.unknown_language_counts(con, "run-2", ["en", "ru"]) == {"uk": 1}
        assert languages.unknown_language_counts(con, "run-2", ["uk"]) == {}


def test_run_counts_name_the_unconfigured_languages(tmp_path):
    from tasks.relevance.topic import load_topic

    store = Store(tmp_path / "news.duckdb", lock_timeout=5)
    store.migrate()
    rows = []
    for i, lang in enumerate(["sv", "sv", "en", None]):
        url = f"https://a.example/{i}.html"
        rows.append(
            Outcome(url=url, status="loaded", article_id=f"a{i}", article=ArticleRow(
                article_id=f"a{i}", url=url, canonical_url=url, title="T", authors=[], published_at=NOW,
                language=lang, site="A", source="feed", text="x", text_hash=f"h{i}", relevance=3.0,
                matched_terms={}, story_id=f"a{i}", extraction_method="trafilatura", extractor_version="v1"))
        )  # fmt: skip
    store.load(rows, "run-1", NOW)
    with store.connect() as con:
        got = languages.run_counts(con, "run-1", load_topic())
    assert got == {"language_unconfigured:sv": 2, "language_unconfigured:und": 1}


def test_feature_counting_gives_py3langids_own_probabilities():
    """The identifier counts the text's features with numpy: every probability is py3langid's own, to the bit,
    on the development texts, their first characters, and mixed-script noise (short, empty, partial UTF-8)."""
    import random

    from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

    from simweb.langset import cases
    from tasks.langid import _identifier

    reference = LanguageIdentifier.from_modelpath(MODEL_DIR / MODEL_FILE, norm_probs=True)
    ours = _identifier()
    texts = [t for case in cases() for t in (case.title, "\n".join(case.paragraphs))] + list(TEXTS.values())
    texts += [t[:n] for t in texts[:40] for n in (1, 2, 5, 7, 40)]
    rng = random.Random(7)
    alphabet = "aZ ßéñёЖ日本한국ไทยעבالع0.,!\n\t\u200c"
    texts += ["".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 120))) for _ in range(300)]
    texts += ["", " ", "a", "Русский".encode()[:-1], b"\xff\xfe"]
    for text in texts:
        assert ours.rank(text) == reference.rank(text), text


def test_the_known_depth_of_the_shipped_model_is_the_one_worked_out():
    from tasks.langid import KNOWN_DEPTHS, _automaton_depth, _identifier, model_key

    identifier = _identifier()
    moves, rows = identifier._moves, identifier._rows
    key = model_key(moves, rows)
    assert key in KNOWN_DEPTHS  # the installed model is the one the entry is for
    assert identifier._depth == KNOWN_DEPTHS[key] == _automaton_depth(moves, rows)
