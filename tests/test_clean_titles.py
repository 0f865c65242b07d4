"""Titles lose the site's name, its date and author segments, whatever separator and spelling the site uses."""

from __future__ import annotations

import pytest

from tasks.clean import clean_title


@pytest.mark.parametrize(
    ("title", "site", "host", "expected", "cuts"),
    [
        # full-width separators written without spaces (Japanese, Korean, Chinese sites)
        ("露朝条約が発効\u3000両国が批准書交換：みなと新聞デジタル", "みなと新聞デジタル", "minato.example.jp",
         "露朝条約が発効\u3000両国が批准書交換", ["title.site"]),
        ("러시아·북한 조약 발효ㅣ한빛일보", "한빛일보", "hanbit.example.kr", "러시아·북한 조약 발효", ["title.site"]),
        ("俄朝条约生效｜东方日报", "东方日报", "dongfang.example.cn", "俄朝条约生效", ["title.site"]),
        # the host spells the name without accents or with the umlaut written out
        ("Rusko a KLDR podepsaly smlouvu - Zprávy Dneška", None, "zpravydneska.cz", "Rusko a KLDR podepsaly smlouvu", ["title.site"]),
        ("Putin und Kim unterzeichnen Pakt | Börsen-Blatt", None, "boersen-blatt.de", "Putin und Kim unterzeichnen Pakt", ["title.site"]),
        # a date or an author after the site's name goes with it
        ("Putin in Pjöngjang | Europa | NW | 19.06.2024", "nw.example", "nw.example", "Putin in Pjöngjang | Europa", ["title.chrome", "title.site"]),
        ("Kim Meets Putin | The Daily Courier | by Jane Roe", "The Daily Courier", "dailycourier.example", "Kim Meets Putin", ["title.chrome", "title.site"]),
        # a short segment that opens with the host's own name, a few words ending with it
        ("Rusya ile Kuzey Kore anlaşma imzaladı | KTV Haber", None, "ktv.com.tr", "Rusya ile Kuzey Kore anlaşma imzaladı", ["title.site"]),
        ("Pakt unterzeichnet - Die Neue Alpenzeitung", None, "alpenzeitung.it", "Pakt unterzeichnet", ["title.site"]),
    ],
)  # fmt: skip
def test_site_segments_go(title: str, site: str | None, host: str, expected: str, cuts: list[str]) -> None:
    cleaned, removed = clean_title(title, site, host)
    assert cleaned == expected
    assert [r.rule for r in removed] == cuts


@pytest.mark.parametrize(
    ("title", "site", "host"),
    [
        # a short host name found inside a headline word ("Landwahl" holds "dw") does not make it the site
        ("Russland-Wahl: Nadeschdin hofft auf das Ende einer Ära – DW – 30.01.2024", "dw.com", "dw.com"),
        # a colon inside a CJK headline is not a site separator when what follows is not the site
        ("プーチン氏：平壌で条約に署名", "みなと新聞デジタル", "minato.example.jp"),
        # a date without the site's name next to it stays: it may be part of the headline
        ("Gipfel in Pjöngjang | 19.06.2024", "Tageblatt", "tageblatt.example"),
        # a headline that names the site among other words keeps it
        ("Kim Jong Un tells NTV about the treaty with Moscow", None, "ntv.com.tr"),
    ],
)
def test_headlines_are_kept(title: str, site: str, host: str) -> None:
    cleaned, _ = clean_title(title, site, host)
    assert cleaned is not None and cleaned.startswith(title.split(" – ")[0])


def test_date_after_the_site_name_goes_with_it() -> None:
    cleaned, removed = clean_title(
        "Russland-Wahl: Nadeschdin hofft auf das Ende einer Ära – DW – 30.01.2024", "dw.com", "dw.com"
    )
    assert cleaned == "Russland-Wahl: Nadeschdin hofft auf das Ende einer Ära"
    assert [(r.rule, r.snippet) for r in removed] == [("title.chrome", "30.01.2024"), ("title.site", "DW")]


def test_a_segment_that_is_part_of_a_long_site_name_goes_a_headline_holding_the_name_stays() -> None:
    site = "Tagesblatt - Nachrichten und Hintergründe aus Pjöngjang und Moskau"
    assert clean_title("Vertrag ratifiziert | Tagesblatt", site, "example.org") == (
        "Vertrag ratifiziert",
        clean_title("Vertrag ratifiziert | Tagesblatt", site, "example.org")[1],
    )
    # the site's name inside a longer headline segment does not make the segment the site's name
    assert clean_title("Vertragstext: Was Pjöngjang zusagt | KTV", "Vertragstext", "example.org")[0] == (
        "Vertragstext: Was Pjöngjang zusagt | KTV"
    )
