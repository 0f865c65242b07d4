"""Term matching: inflections, stems and spelling variants, whole words, CJK boundaries, false friends and the
language selection, the terms a match reports, and the patterns that skip ahead."""

from __future__ import annotations

import pytest

from tasks.relevance.score import score_relevance
from tasks.relevance.topic import Topic, load_topic


@pytest.fixture(scope="module")
def topic() -> Topic:
    return load_topic()


@pytest.mark.parametrize(
    ("phrase", "group", "term"),
    [
        ("Переговоры в России", "russia", "росси*"),
        ("Сотрудничество с Россией", "russia", "росси*"),
        ("российские военные", "russia", "росси*"),
        ("делегация КНДР", "north_korea", "КНДР"),
        ("делегация кндр", "north_korea", "КНДР"),
        ("границы Северной Кореи", "north_korea", "Северн* Коре*"),
        ("встреча с Путиным", "leaders", "Путин*"),
        ("переговоры с Ким Чен Ыном", "leaders", "Ким Чен Ын*"),
        ("Nordkoreas Machthaber", "north_korea", "Nordkorea*"),
        ("die nordkoreanische Armee", "north_korea", "nordkoreanisch*"),
        ("Russlands Präsident", "russia", "Russland*"),
        ("die russische Regierung", "russia", "russisch*"),
        ("la Corée du Nord", "north_korea", "Corée du Nord"),
        ("la Coree du Nord", "north_korea", "Corée du Nord"),
        ("LA CORÉE DU NORD", "north_korea", "Corée du Nord"),
        ("les soldats nord-coréens", "north_korea", "nord-coréen*"),
        ("Kim Jong-un", "leaders", "Kim Jong Un"),
        ("Kim  Jong\u00a0Un", "leaders", "Kim Jong Un"),
        ("Russia's treaty", "russia", "Russia*"),
        ("ＲＵＳＳＩＡ", "russia", "Russia*"),  # full-width
        ("Moscú y Pyongyang", "russia", "Moscú"),
        ("Moscu y Pyongyang", "russia", "Moscú"),
        ("北朝鮮のミサイル", "north_korea", "北朝鮮"),
        ("俄罗斯外交部", "russia", "俄罗斯"),
        ("ウラジーミル・プーチン大統領", "leaders", "プーチン"),
        ("북러 정상회담", "north_korea", "북러"),
        ("북ㆍ러 정상회담", "north_korea", "북·러"),  # Hangul middle dot
        ("북·러 정상회담", "russia", "북·러"),
        ("포괄적전략적동반자 관계", "pact", "포괄적 전략적 동반자"),  # spaces optional in Hangul terms
        ("在Kursk地区", "military", "Kursk"),  # a Latin word next to CJK still has word boundaries
    ],
)
def test_inflections_and_spelling_variants_match(topic, phrase, group, term):
    rel = score_relevance(phrase, None, topic)
    assert term in rel.matched.get(group, []), rel.matched


@pytest.mark.parametrize("language", [None, "en"])
@pytest.mark.parametrize("word", ["Prussia", "Russell", "Russells", "PRUSSIAN", "Belarussian"])
def test_russia_matches_whole_words_only(topic, word, language):
    rel = score_relevance(f"{word} and the North Korean treaty", f"A story about {word}.", topic, language)
    assert "russia" not in rel.matched


@pytest.mark.parametrize(
    ("phrase", "group"),
    [
        ("朝鲜半岛无核化", "north_korea"),  # the Korean peninsula, not North Korea
        ("中国朝鲜族自治州", "north_korea"),  # ethnic Koreans in China
        ("朝の露が光る。朝露", "russia"),  # morning dew, not Russia–North Korea
        ("俄亥俄州的选举", "russia"),  # Ohio contains 俄
        ("남북 정상회담과 북미 대화", "north_korea"),  # inter-Korean and US–North Korea: no lone 북
        ("Ein nordisches Abkommen", "north_korea"),
    ],
)
def test_false_friends_do_not_match(topic, phrase, group):
    assert group not in score_relevance(phrase, phrase, topic).matched


def test_language_hint_keeps_other_languages_false_friends_out(topic):
    # "rusa" is Spanish for Russian (feminine) and Indonesian for deer.
    text = "Rusa di Taman Nasional Baluran, Jawa Timur, bertambah banyak tahun ini."
    assert "russia" not in score_relevance(None, text, topic, "id").matched
    assert "rusa" in score_relevance(None, "la flota rusa", topic, "es").matched["russia"]


def test_matched_lists_distinct_config_terms_in_order_of_appearance(topic):
    rel = score_relevance(
        "North Korea and Russia sign treaty",
        "North Korea and Russia signed the treaty. North Korea will send troops; Russia will share missile technology.",
        topic,
        "en",
    )
    assert rel.matched == {
        "russia": ["Russia*"],
        "north_korea": ["North Korea*"],
        "pact": ["treaty"],
        "military": ["troop*", "missile*"],
    }


def test_term_patterns_skipping_ahead_find_what_the_plain_patterns_find(topic):
    """Each group's Latin/Cyrillic terms have a second pattern, opening with their first letters so the regex
    engine skips ahead, for texts without CJK or Thai characters: it finds the same matches, with the same term,
    as the plain pattern, for every language selection, on every term in every kind of neighbourhood."""
    from tasks.relevance.terms import CJK_CHAR, find_terms, normalize

    contexts = ["{}", "a{}", "{}a", "x-{}.", "1{}_", "{}{}", "\n{}\n", "Ä{}ß"]
    for language in (*topic.languages, None):
        for matcher in topic.matchers_for(language):
            if matcher.spaced is None:
                continue
            assert matcher.skipping is not None
            words = [normalize(t).replace("*", "ov") for t in matcher.spaced_terms]
            texts = [c.replace("{}", w) for w in words for c in contexts] + [" ".join(words), "-".join(words)]
            for text in texts:
                if CJK_CHAR.search(text):
                    continue
                expected = [(m.span(), m.lastindex) for m in matcher.spaced.finditer(text)]
                assert [(m.span(), m.lastindex) for m in matcher.skipping.finditer(text)] == expected, text
    # a CJK character before a term is a word start for the plain pattern, and the plain pattern is what reads it
    assert find_terms(topic.matchers_for("en")[0], "在moscow地区") == [("Moscow", 1)]
