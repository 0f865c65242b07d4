"""The story gazetteer (config/stories.toml): names found in the 25 topic languages, inflected forms included,
never inside an unrelated word; counting words in numbers; events told apart by their leads; links on names."""

from __future__ import annotations

import tomllib
from datetime import UTC, datetime, timedelta

import pytest

from tasks.relevance.topic import DEFAULT_TOPIC_PATH
from tasks.stories import (
    CONFIG,
    StoriesConfigError,
    default_config,
    entities,
    events_differ,
    fingerprint,
    judge,
    load_link_config,
    numbers,
)

T0 = datetime(2025, 7, 12, 8, tzinfo=UTC)

# One sentence a language, inflected the way the language writes it (cases, suffixes, particles, no spaces),
# and the evidence names it must yield.
SENTENCES = {
    "en": ("Lavrov's talks in Wonsan", {"lavrov", "wonsan"}),
    "de": ("Lawrows Gespräche in Wonsan", {"lavrov", "wonsan"}),
    "fr": ("Les entretiens de Sergueï Lavrov à Wonsan", {"lavrov", "wonsan"}),
    "es": ("Lavrov se reunió en Wonsan con Choe Son Hui", {"lavrov", "wonsan", "choe_son_hui"}),
    "it": ("Lavrov è arrivato a Wonsan", {"lavrov", "wonsan"}),
    "pt": ("Lavrov chegou a Wonsan", {"lavrov", "wonsan"}),
    "nl": ("Lavrov sprak in Wonsan met Choe Son-hui", {"lavrov", "wonsan", "choe_son_hui"}),
    "ru": ("Визит Лаврова в Вонсан", {"lavrov", "wonsan"}),
    "uk": ("Візит Лаврова до Вонсана", {"lavrov", "wonsan"}),
    "pl": ("Wizyta Ławrowa w Wonsanie", {"lavrov", "wonsan"}),
    "cs": ("Návštěva Lavrova ve Wonsanu", {"lavrov", "wonsan"}),
    "ro": ("Vizita lui Lavrov la Wonsan", {"lavrov", "wonsan"}),
    "hu": ("Lavrov Kurszkban és Kijevben", {"lavrov", "kursk", "kyiv"}),
    "tr": ("Lavrov'un Wonsan ziyareti", {"lavrov", "wonsan"}),
    "id": ("Kunjungan Lavrov ke Wonsan", {"lavrov", "wonsan"}),
    "ms": ("Lawatan Lavrov ke Wonsan", {"lavrov", "wonsan"}),
    "vi": ("Ngoại trưởng Lavrov thăm Wonsan và Hà Nội", {"lavrov", "wonsan", "hanoi"}),
    "ar": ("زيارة لافروف إلى كورسك", {"lavrov", "kursk"}),
    "fa": ("سفر لاوروف به کورسک", {"lavrov", "kursk"}),
    "he": ("ביקור לברוב בקורסק", {"lavrov"}),
    "hi": ("लावरोव की कुर्स्क यात्रा", {"lavrov", "kursk"}),
    "ko": ("라브로프 장관이 원산에서 최선희 외무상과", {"lavrov", "wonsan", "choe_son_hui"}),
    "ja": ("ラブロフ外相は元山で崔善姫外相と会談", {"lavrov", "wonsan", "choe_son_hui"}),
    "zh": ("拉夫罗夫在元山会见崔善姬", {"lavrov", "wonsan", "choe_son_hui"}),
    "th": ("ลาฟรอฟเยือนวอนซาน", {"lavrov", "wonsan"}),
}


def test_every_topic_language_is_covered():
    topics = tomllib.loads(DEFAULT_TOPIC_PATH.read_text(encoding="utf-8"))
    assert set(topics["languages"]) == set(SENTENCES)


@pytest.mark.parametrize("language", sorted(SENTENCES))
def test_names_are_found_in_each_language_inflected(language):
    sentence, expected = SENTENCES[language]
    assert expected <= entities(sentence, people=True), language


@pytest.mark.parametrize(
    ("sentence", "kind"),
    [
        ("Я думаю, что он прав", "events"),  # "думать" is not the Duma
        ("Jestem dumny z tego", "events"),  # Polish "proud"
        ("Duman yükseldi", "events"),  # Turkish "smoke"
        ("Il est resté seul", "names"),  # French "alone" is not Seoul
        ("Восточная Европа", "names"),  # "eastern", not the Vostochny cosmodrome
        ("Sunan Kalijaga", "names"),  # a Javanese title, not Pyongyang's airport
        ("Rasputin", "background"),  # a name inside another word
        ("Alexandre Dumas", "events"),
    ],
)
def test_a_name_does_not_match_inside_an_unrelated_word(sentence, kind):
    found = entities(sentence, people=kind == "names", background=kind == "background")
    assert not found, (sentence, found)


def test_prefixes_and_clitics_are_allowed_where_the_term_says_so():
    assert "putin" in entities("ופוטין אמר", background=True)  # Hebrew "and Putin"
    assert "putin" in entities("وبوتين", background=True)  # Arabic "and Putin"
    assert "ratification" in entities("DPR meratifikasi perjanjian itu", people=True)  # Indonesian affix


def test_numbers_with_counting_words_and_units_agree_across_languages():
    forms = [
        "10,000",
        "10 000",
        "10.000",
        "10 thousand",
        "10 тысяч",
        "10 mil",
        "10 ribu",
        "1만",
        "1万",
        "10 bin",
    ]
    assert all(numbers(f) == ["10000"] for f in forms), {f: numbers(f) for f in forms}
    assert numbers("1만5000명") == numbers("1.5万人") == numbers("15,000") == ["15000"]
    assert numbers("1천500명") == ["1500"]
    assert numbers("1,5 тыс. человек") == ["1500"]
    assert numbers("2.5 million") == numbers("2,5 Millionen") == ["2500000"]
    assert numbers("19 June 2024") == ["19", "2024"]  # no counting word: unchanged


def _fp(title: str, text: str, language: str, hours: float = 0):
    return fingerprint(title, text, language, T0 + timedelta(hours=hours))


def test_an_event_only_a_background_paragraph_recalls_keeps_nothing_apart():
    lead = "Seoul says North Korea sent 170 guns and 240 rocket launchers to Russia."
    report = _fp(
        "Seoul counts arms shipped to Russia",
        lead + "\nPyongyang also received help with a spy satellite.",
        "en",
    )
    other = _fp(
        "서울, 북한의 대러 무기 지원 집계",
        "북한이 러시아에 170문의 자주포와 240문의 방사포를 보냈다.",
        "ko",
        2,
    )
    assert "satellite_launch" in report.entities and not report.lead_entities
    assert not events_differ(report, other)
    assert judge(other, report) is not None


def test_an_event_a_lead_names_keeps_two_articles_apart():
    signing = _fp(
        "Putin and Kim sign treaty", "Vladimir Putin and Kim Jong Un signed the treaty in Pyongyang.", "en"
    )
    gift = _fp(
        "Putin gives Kim an Aurus limousine",
        "Putin gave Kim Jong Un a limousine, a day after the signing.",
        "en",
        20,
    )
    assert events_differ(gift, signing)
    assert judge(gift, signing) is None
    duma = _fp(
        "Duma ratifies the treaty",
        "The State Duma unanimously ratified the partnership treaty with North Korea on Thursday.\n"
        "The Federation Council is expected to vote on it next.",
        "en",
    )
    council = _fp(
        "Federation Council approves the treaty",
        "The Federation Council approved the partnership treaty with North Korea on Wednesday.\n"
        "The Duma had ratified it two weeks earlier.",
        "en",
    )
    assert duma.lead_entities == {"duma"} and council.lead_entities == {"federation_council"}
    assert events_differ(duma, council)  # both leads name an event, none in common


def test_articles_without_figures_link_on_the_names_they_share_but_not_on_background_names():
    en = _fp("Lavrov in Wonsan", "Sergei Lavrov met Choe Son Hui in Wonsan on Saturday.", "en")
    ko = _fp("라브로프, 원산 방문", "라브로프 장관이 원산에서 최선희 외무상과 회담했다.", "ko", 1)
    link = judge(ko, en)
    assert link is not None and set(link.evidence["shared_names"]) == {"lavrov", "wonsan", "choe_son_hui"}
    # the two leaders and the two capitals are named in every article of the story: they link nothing
    a = _fp("Putin and Kim", "Vladimir Putin and Kim Jong Un in Pyongyang and Moscow.", "en")
    b = _fp("푸틴과 김정은", "푸틴 대통령과 김정은 위원장이 평양과 모스크바에서.", "ko", 1)
    assert a.background == b.background and not a.keyed_names
    assert judge(b, a) is None
    # too far apart in time for a report
    assert (
        judge(_fp("라브로프, 원산 방문", "라브로프 장관이 원산에서 최선희 외무상과 회담했다.", "ko", 80), en)
        is None
    )


def test_link_fields_are_validated(tmp_path):
    bad = tmp_path / "stories.toml"
    bad.write_text("[link]\nshared_names = 0\n")
    with pytest.raises(
        StoriesConfigError, match=r"stories.toml: \[link\] shared_names must be a positive number"
    ):
        load_link_config(bad)
    bad.write_text('[background]\nputin = "Putin"\n')
    with pytest.raises(StoriesConfigError, match=r"\[background\] putin must be a non-empty list of strings"):
        load_link_config(bad)


def test_the_shipped_gazetteer_loads_with_its_three_kinds():
    config = default_config()
    assert load_link_config(CONFIG).names == config.names
    assert {"putin", "kim_jong_un"} <= {n for n, _ in config.background}
    assert {"lavrov", "choe_son_hui", "wonsan", "kursk"} <= {n for n, _ in config.names}
    assert {"duma", "federation_council", "limousine", "entry_into_force"} <= {n for n, _ in config.entities}


@pytest.mark.parametrize(
    "sentence, kind, name",
    [
        ("북한 원산에서 미사일을 발사했다", "people", "wonsan"),
        ("원산 갈마 해안관광지구", "people", "wonsan"),
        ("원산과 평양을 잇는 철도", "people", "wonsan"),
        ("러시아 국가두마가 조약을 비준했다", "events", "duma"),
        ("조약은 다음 달 발효된다", "events", "entry_into_force"),
        ("조약이 4일 발효됐다", "events", "entry_into_force"),
    ],
)
def test_korean_names_are_found_with_their_particles_and_light_verbs(sentence, kind, name):
    assert name in entities(sentence, people=kind == "people")


@pytest.mark.parametrize(
    "sentence, kind, name",
    [
        ("수입 농산물의 원산지 표시를 강화한다", "people", "wonsan"),  # "place of origin"
        ("원산지증명서를 발급했다", "people", "wonsan"),  # "certificate of origin"
        ("발효식품 수출이 늘었다", "events", "entry_into_force"),  # 발효 "fermentation" in a compound
    ],
)
def test_a_korean_name_inside_a_longer_word_is_not_matched(sentence, kind, name):
    assert name not in entities(sentence, people=kind == "people")


@pytest.mark.parametrize(
    "sentence, kind, name, found",
    [
        ("プーチン氏はハノイを訪問した。ベトナムの河内でも", "people", "hanoi", True),
        ("普京抵达河内进行国事访问", "people", "hanoi", True),
        ("大阪府河内長野市の市長は", "people", "hanoi", False),  # Kawachinagano, a Japanese city
        ("河内音頭の祭り", "people", "hanoi", False),  # a folk dance of the Kawachi region
        ("สภาดูมาของรัสเซียให้สัตยาบันสนธิสัญญา", "events", "duma", True),
        ("ผู้ชมดูมากขึ้นทุกปี", "events", "duma", False),  # ดู มาก "watch more", not the Duma
        ("เราดูมาแล้วหลายครั้ง", "events", "duma", False),  # "we have watched it"
    ],
)
def test_chinese_japanese_and_thai_names_are_refused_inside_a_known_longer_word(sentence, kind, name, found):
    assert (name in entities(sentence, people=kind == "people")) is found


def test_a_name_of_exclusions_only_is_a_config_error(tmp_path):
    path = tmp_path / "stories.toml"
    path.write_text('[names]\nhanoi = ["!河内長野"]\n', encoding="utf-8")
    with pytest.raises(StoriesConfigError, match=r"stories.toml: \[names\] hanoi"):
        load_link_config(path)
