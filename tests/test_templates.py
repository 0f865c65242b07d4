"""Learned site templates: what is learned from a site's pages, what apply_templates cuts and what it spares."""

from __future__ import annotations

import time
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tasks.models import Removal
from tasks.templates import PageLines, TemplateSettings, apply_templates, learn_templates, line_key

DEFAULTS = TemplateSettings()

KABAR = "kabardunia.example"
WHATSAPP = "Ikuti kami di WhatsApp Channel Kabar Dunia"
HERALD = "pacificherald.example"
FUNDED = "The Pacific Herald is an independent newsroom funded by readers."
BACKGROUND = (
    "The treaty, signed in Pyongyang in June, obliges each side to provide military assistance "
    "if the other is attacked."
)
HANBANDO = "hanbando.example"
SUBSCRIBE = "네이버 뉴스에서 한반도뉴스를 구독하세요"

# Story text per language: distinct lines so only what a test repeats on purpose repeats.
_STORY = {
    KABAR: [
        "Presiden Rusia Vladimir Putin tiba di Pyongyang untuk kunjungan kenegaraan pertama dalam 24 tahun.",
        "Kim Jong Un menyambut Putin di bandara Sunan sebelum fajar, menurut kantor berita KCNA.",
        "Kedua pemimpin menandatangani perjanjian kemitraan strategis komprehensif.",
        "Kementerian Luar Negeri Korea Selatan menyatakan keprihatinan atas klausul pertahanan bersama.",
        "Duma Negara meratifikasi perjanjian itu dengan suara bulat pada bulan Oktober.",
        "Badan intelijen Seoul melaporkan ribuan tentara Korea Utara dikirim ke wilayah Kursk.",
    ],
    HERALD: [
        "Vladimir Putin and Kim Jong Un met for talks lasting several hours in Pyongyang.",
        "Officials in Seoul said they would review the sale of weapons to Ukraine.",
        "The Duma voted unanimously to ratify the agreement in October.",
        "Washington said North Korean troops had been moved to the Kursk region.",
        "NATO's secretary general called the deployment a dangerous escalation.",
        "Tokyo summoned the Russian ambassador over the arms transfer.",
    ],
    HANBANDO: [
        "푸틴 대통령이 24년 만에 평양을 방문해 김정은 국무위원장과 정상회담을 가졌다.",
        "양국은 포괄적 전략적 동반자 관계 조약에 서명했다.",
        "정부는 조약의 상호 군사 지원 조항에 깊은 우려를 표명했다.",
        "국가정보원은 북한군 병력이 러시아 쿠르스크 지역에 배치됐다고 밝혔다.",
        "러시아 국가두마는 조약 비준안을 만장일치로 통과시켰다.",
        "일본 정부도 무기 이전에 대해 강하게 항의했다.",
    ],
}


def _page(
    site: str,
    number: int,
    day: date,
    relevant: bool,
    extra: tuple[str, ...] = (),
    title: str | None = None,
    lead: tuple[str, ...] | None = None,
) -> PageLines:
    """A page of ``site``: a lead, two story lines of its own, then ``extra`` (the lines a test repeats)."""
    story = _STORY[site]
    body = tuple(f"{story[(number + shift) % len(story)]} ({site} #{number})" for shift in range(4))
    return PageLines(
        site=site,
        url=f"https://{site}/berita/{day.isoformat()}/{number}",
        day=day,
        relevant=relevant,
        title=title or f"{story[number % len(story)][:40]} #{number}",
        lines=(lead if lead is not None else body[:2]) + body[2:] + extra,
    )


def _days(start: date, count: int, step: int = 1) -> list[date]:
    return [start + timedelta(days=step * i) for i in range(count)]


def _kabar_site() -> list[PageLines]:
    """Eight pages over four days, on- and off-topic, all ending with the WhatsApp plug."""
    days = _days(date(2024, 6, 19), 4)
    return [_page(KABAR, n, days[n % 4], relevant=n % 3 != 0, extra=(WHATSAPP,)) for n in range(8)]


def _herald_site() -> list[PageLines]:
    """Ten pages: four on-topic ones over three months repeat the treaty background; all carry the disclaimer."""
    on_topic_days = [date(2024, 6, 21), date(2024, 7, 15), date(2024, 8, 30), date(2024, 9, 20)]
    pages = [_page(HERALD, n, day, True, extra=(BACKGROUND, FUNDED)) for n, day in enumerate(on_topic_days)]
    off_topic_days = _days(date(2024, 6, 25), 6, step=17)
    pages += [_page(HERALD, 4 + n, day, False, extra=(FUNDED,)) for n, day in enumerate(off_topic_days)]
    return pages


def test_footer_on_both_kinds_of_pages_is_learned_and_removed() -> None:
    learned = learn_templates(_kabar_site(), DEFAULTS)

    assert learned == {KABAR: {line_key(WHATSAPP): WHATSAPP}}

    text = "\n".join(
        [
            "Jakarta - Korea Selatan memanggil duta besar Rusia pada Kamis.",
            "Pemanggilan itu menyusul laporan pengiriman pasukan.",
            "",
            "Seoul menuntut penarikan segera seluruh pasukan Korea Utara.",
            "  ikuti kami di  WhatsApp channel Kabar Dunia ",
            "Pemerintah akan terus memantau situasi.",
        ]
    )
    result = apply_templates(text, "Seoul panggil dubes Rusia", learned[KABAR], version=3)

    assert result.removed == [
        Removal(snippet="ikuti kami di  WhatsApp channel Kabar Dunia", rule="site-template:v3", position=4)
    ]
    assert result.text.split("\n") == [line for i, line in enumerate(text.split("\n")) if i != 4]


def test_background_paragraph_of_one_story_stays_while_the_disclaimer_goes() -> None:
    learned = learn_templates(_herald_site(), DEFAULTS)

    assert learned == {HERALD: {line_key(FUNDED): FUNDED}}

    text = "\n".join(
        [
            "North Korean troops have been seen near Kursk, officials said.",
            "Seoul called the deployment a breach of UN resolutions.",
            BACKGROUND,
            FUNDED,
        ]
    )
    result = apply_templates(text, "Troops seen near Kursk", learned[HERALD], version=1)
    assert result.text.split("\n") == text.split("\n")[:3]
    assert [removal.position for removal in result.removed] == [3]


def test_line_on_two_pages_only_is_not_learned() -> None:
    pages = [
        _page(KABAR, 0, date(2024, 6, 19), True, extra=(WHATSAPP,)),
        _page(KABAR, 1, date(2024, 6, 20), False, extra=(WHATSAPP,)),
        _page(KABAR, 2, date(2024, 6, 21), True),
        _page(KABAR, 3, date(2024, 6, 22), False),
    ]
    assert learn_templates(pages, DEFAULTS) == {}


def test_one_url_stored_twice_counts_as_one_page() -> None:
    page = _page(KABAR, 0, date(2024, 6, 19), True, extra=(WHATSAPP,))
    other = _page(KABAR, 1, date(2024, 6, 20), False, extra=(WHATSAPP,))
    assert learn_templates([page, page, page, other], DEFAULTS) == {}


def test_line_on_many_pages_of_one_day_is_not_learned() -> None:
    day = date(2024, 11, 12)
    pages = [_page(HANBANDO, n, day, relevant=n % 2 == 0, extra=(SUBSCRIBE,)) for n in range(8)]
    assert learn_templates(pages, DEFAULTS) == {}


def test_line_longer_than_the_limit_is_not_learned() -> None:
    long_line = " ".join([WHATSAPP] * 12)
    pages = [
        _page(KABAR, n, day, n % 2 == 0, extra=(long_line,))
        for n, day in enumerate(_days(date(2024, 6, 19), 6))
    ]
    assert len(long_line) > DEFAULTS.max_line_chars
    assert learn_templates(pages, DEFAULTS) == {}


def test_new_site_learns_nothing_and_empty_templates_change_nothing() -> None:
    assert learn_templates([], DEFAULTS) == {}
    assert learn_templates([_page(HANBANDO, 0, date(2024, 6, 19), True, extra=(SUBSCRIBE,))], DEFAULTS) == {}

    text = "\n".join(_STORY[HANBANDO] + [SUBSCRIBE, ""])
    for empty in (set(), {}):
        result = apply_templates(text, "북러 조약", empty, version=1)
        assert result.text == text
        assert result.removed == []


def test_repeated_title_and_lead_are_never_learned_nor_removed() -> None:
    title = "[속보] 북러 포괄적 전략적 동반자 관계 조약"
    lead = ("(서울=한반도뉴스) 북러 조약 관련 속보입니다.", "이 기사는 계속 업데이트됩니다.")
    days = _days(date(2024, 6, 19), 6)
    pages = [
        _page(HANBANDO, n, day, n % 2 == 0, extra=(title, SUBSCRIBE), title=title, lead=lead)
        for n, day in enumerate(days)
    ]

    learned = learn_templates(pages, DEFAULTS)
    assert learned == {HANBANDO: {line_key(SUBSCRIBE): SUBSCRIBE}}

    # Even keys learned elsewhere for these very lines do not cut the title or the lead.
    keys = {line_key(title), *map(line_key, lead), line_key(SUBSCRIBE)}
    text = "\n".join(["", *lead, _STORY[HANBANDO][0], title, SUBSCRIBE])
    result = apply_templates(text, title, keys, version=2)
    assert result.text == "\n".join(["", *lead, _STORY[HANBANDO][0], title])
    assert result.removed == [Removal(SUBSCRIBE, "site-template:v2", 5)]


def test_lead_lines_setting_is_respected() -> None:
    text = "\n".join([WHATSAPP, _STORY[KABAR][0], WHATSAPP])
    keys = {line_key(WHATSAPP)}
    assert [r.position for r in apply_templates(text, None, keys, version=1).removed] == [2]
    assert [r.position for r in apply_templates(text, None, keys, version=1, lead_lines=0).removed] == [0, 2]


def test_site_with_only_on_topic_pages_learns_lines_on_most_of_its_pages() -> None:
    plug, partial = "Dukung jurnalisme independen: berlangganan Kabar Dunia Premium", "Editor: Rina Wijaya"
    days = _days(date(2024, 6, 19), 10, step=9)
    pages = [
        _page(KABAR, n, day, True, extra=(plug,) * (n != 0) + (partial,) * (n >= 2))
        for n, day in enumerate(days)
    ]
    # plug: 9 of 10 pages (90%); partial: 8 of 10 (80%).
    assert learn_templates(pages, DEFAULTS) == {KABAR: {line_key(plug): plug}}
    # Four pages are too few for the share route, however often the line appears.
    assert learn_templates(pages[1:5], DEFAULTS) == {}


def test_learning_keeps_sites_apart() -> None:
    learned = learn_templates(_kabar_site() + _herald_site(), DEFAULTS)
    assert learned == {KABAR: {line_key(WHATSAPP): WHATSAPP}, HERALD: {line_key(FUNDED): FUNDED}}


def _mixed_pages() -> list[PageLines]:
    pages = _kabar_site() + _herald_site()
    days = _days(date(2024, 10, 1), 5, step=7)
    pages += [_page(HANBANDO, n, day, n != 3, extra=(SUBSCRIBE,)) for n, day in enumerate(days)]
    # A URL stored twice with different text, and a plug spelled differently on one page.
    pages.append(_page(HANBANDO, 1, days[1], True, extra=("네이버 뉴스에서  한반도뉴스를 구독하세요",)))
    pages.append(_page(KABAR, 8, date(2024, 6, 30), False, extra=(WHATSAPP.upper(),)))
    return pages


_MIXED = _mixed_pages()
_MIXED_LEARNED = learn_templates(_MIXED, DEFAULTS)


@settings(max_examples=30, deadline=None)
@given(st.permutations(_MIXED))
def test_learning_does_not_depend_on_page_order(shuffled: list[PageLines]) -> None:
    learned = learn_templates(iter(shuffled), DEFAULTS)
    assert learned == _MIXED_LEARNED
    assert list(learned) == list(_MIXED_LEARNED)
    assert all(list(learned[site]) == list(_MIXED_LEARNED[site]) for site in learned)


def test_mixed_pages_learn_each_sites_lines() -> None:
    assert set(_MIXED_LEARNED) == {KABAR, HERALD, HANBANDO}
    assert _MIXED_LEARNED[KABAR] == {line_key(WHATSAPP): WHATSAPP.upper()}  # smallest spelling seen
    assert list(_MIXED_LEARNED[HANBANDO]) == [line_key(SUBSCRIBE)]


def test_line_key_compares_normalised_text_and_keeps_digits() -> None:
    assert line_key(" Ikuti  kami di\tWhatsApp ") == line_key("ikuti kami di whatsapp")
    assert line_key("Ｉｋｕｔｉ ｋａｍｉ") == line_key("ikuti kami")  # full-width forms (NFKC)
    assert line_key("Hotline 1500-1234") != line_key("Hotline 1500-1235")
    assert line_key(SUBSCRIBE) != line_key(WHATSAPP)
    assert len(line_key(WHATSAPP)) == 16
    assert int(line_key(WHATSAPP), 16) >= 0


def test_settings_from_dict() -> None:
    assert TemplateSettings.from_dict({}) == DEFAULTS
    assert TemplateSettings.from_dict({"min_pages": 5, "min_share": 1}).min_pages == 5


@pytest.mark.parametrize(
    ("values", "named"),
    [
        ({"min_pages": 0}, "min_pages"),
        ({"min_days": "2"}, "min_days"),
        ({"min_share": 1.5}, "min_share"),
        ({"min_share": 0}, "min_share"),
        ({"min_share_pages": 2.5}, "min_share_pages"),
        ({"max_line_chars": -1}, "max_line_chars"),
        ({"lead_lines": True}, "lead_lines"),
        ({"lead_lines": -1}, "lead_lines"),
        ({"min_pagez": 3}, "min_pagez"),
    ],
)
def test_settings_errors_name_the_key(values: dict[str, object], named: str) -> None:
    with pytest.raises(ValueError, match=named):
        TemplateSettings.from_dict(values)


def test_learning_ten_thousand_pages_is_fast() -> None:
    start_day = date(2024, 6, 19)
    footer = ("Ikuti kami di WhatsApp Channel Kabar Dunia", "Copyright © 2024 Kabar Dunia")
    pages = [
        PageLines(
            site=f"site{n % 20}.example",
            url=f"https://site{n % 20}.example/a/{n}",
            day=start_day + timedelta(days=n % 90),
            relevant=n % 4 != 0,
            title=f"Berita nomor {n}",
            lines=tuple(
                f"Paragraf {i} dari artikel nomor {n} tentang pakta Rusia Korea Utara." for i in range(28)
            )
            + footer,
        )
        for n in range(10_000)
    ]
    started = time.process_time()  # CPU time: other processes on the machine do not count
    learned = learn_templates(pages, DEFAULTS)
    elapsed = time.process_time() - started

    assert len(learned) == 20
    assert all(set(keys) == {line_key(line) for line in footer} for keys in learned.values())
    assert elapsed < 1.5  # 0.35-0.45 s measured; the margin is for slow CI machines
