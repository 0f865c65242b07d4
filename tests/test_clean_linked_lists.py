"""Unlabelled lists of linked headlines inside an article, and list bullets in front of boilerplate lines."""

from __future__ import annotations

from tasks.clean import LINKED_HEADLINES_RULE, strip_boilerplate

PARAGRAPH_1 = "Putin und Kim unterzeichneten den Vertrag am 19. Juni 2024 in Pjöngjang."
PARAGRAPH_2 = "Der Vertrag verpflichtet beide Staaten zu militärischem Beistand im Fall eines Angriffs."


def _page(items: str) -> str:
    return f"<html><body><article><p>{PARAGRAPH_1}</p><ul>{items}</ul><p>{PARAGRAPH_2}</p></article></body></html>"


def test_a_run_of_linked_headlines_goes() -> None:
    html = _page(
        '<li><a href="/politik/seoul-bestellt-botschafter-ein">Seoul bestellt den russischen Botschafter ein</a></li>'
        '<li><strong>Kursk:</strong> <a href="/politik/truppen">Nordkoreanische Soldaten an der Front gesichtet</a></li>'
    )
    text = "\n".join(
        [
            PARAGRAPH_1,
            "- Seoul bestellt den russischen Botschafter ein",
            "- Kursk: Nordkoreanische Soldaten an der Front gesichtet",
            PARAGRAPH_2,
        ]
    )
    result = strip_boilerplate(text, language="de", html=html)
    assert result.text == f"{PARAGRAPH_1}\n{PARAGRAPH_2}"
    assert [(r.rule, r.position) for r in result.removed] == [
        (LINKED_HEADLINES_RULE, 1),
        (LINKED_HEADLINES_RULE, 2),
    ]


def test_list_items_of_the_article_stay() -> None:
    # the article's own list: items without links, an anchor link to a section, a single linked item
    html = _page(
        "<li>Beistand im Fall eines Angriffs auf eine Seite</li>"
        '<li><a href="#artikel-4">Artikel 4 des Vertrags im Wortlaut</a></li>'
        "<li>Zusammenarbeit bei Raumfahrt und Energie</li>"
    )
    text = "\n".join(
        [
            PARAGRAPH_1,
            "- Beistand im Fall eines Angriffs auf eine Seite",
            "- Artikel 4 des Vertrags im Wortlaut",
            "- Zusammenarbeit bei Raumfahrt und Energie",
            PARAGRAPH_2,
        ]
    )
    assert strip_boilerplate(text, language="de", html=html).text == text


def test_a_single_linked_item_or_a_linked_sentence_stays() -> None:
    html = _page(
        '<li><a href="/dokumente/vertrag">Der Vertrag im Wortlaut</a></li>'
        '<li><a href="/a">Der Kreml veröffentlichte den Text am Donnerstag.</a></li>'
        '<li><a href="/b">Pjöngjang bestätigte die Ratifizierung am Freitag.</a></li>'
    )
    text = "\n".join(
        [
            PARAGRAPH_1,
            "- Der Vertrag im Wortlaut",
            "",
            "- Der Kreml veröffentlichte den Text am Donnerstag.",
            "- Pjöngjang bestätigte die Ratifizierung am Freitag.",
            PARAGRAPH_2,
        ]
    )
    assert strip_boilerplate(text, language="de", html=html).text == text


def test_without_the_page_nothing_is_taken_for_a_linked_list() -> None:
    text = f"{PARAGRAPH_1}\n- Seoul bestellt den russischen Botschafter ein\n- Nordkoreanische Soldaten gesichtet"
    assert strip_boilerplate(text, language="de").text == text


def test_line_rules_see_past_a_list_bullet() -> None:
    text = "\n".join(
        [PARAGRAPH_1, "- Von: Karl Brandt, Mira Sommer", "• Email: desk@example.com", "- 3 Minuten Lesezeit"]
    )
    result = strip_boilerplate(text, language="de")
    assert result.text == PARAGRAPH_1
    assert [r.rule for r in result.removed] == [
        "de.byline.mitwirkende",
        "common.contact.email-line",
        "de.date.stand",
    ]


def test_a_bulleted_content_line_is_not_cut_by_a_bullet_alone() -> None:
    text = "- Putin: Der Vertrag ist ein Durchbruch für beide Länder.\n- 3 Soldaten wurden verletzt, sagte Seoul."
    assert strip_boilerplate(text, language="de").text == text


def test_three_short_linked_items_are_a_tag_list_two_are_not() -> None:
    html = _page(
        '<li><a href="/thema/russland">Russland</a></li><li><a href="/thema/nordkorea">Nordkorea</a></li>'
        '<li><a href="/thema/kim-jong-un">Kim Jong-un</a></li>'
    )
    tags = "\n".join([PARAGRAPH_1, "- Russland", "- Nordkorea", "- Kim Jong-un", PARAGRAPH_2])
    assert strip_boilerplate(tags, language="de", html=html).text == f"{PARAGRAPH_1}\n{PARAGRAPH_2}"
    two = "\n".join([PARAGRAPH_1, "- Russland", "- Nordkorea", PARAGRAPH_2])
    assert strip_boilerplate(two, language="de", html=html).text == two


def test_a_long_link_collection_or_one_spelling_out_addresses_stays() -> None:
    items = [f"Pressespiegel {n}. Juni: Bericht der Zeitung über den Vertrag" for n in range(1, 11)]
    html = _page("".join(f'<li><a href="/presse/{n}">{item}</a></li>' for n, item in enumerate(items)))
    text = "\n".join([PARAGRAPH_1, *(f"- {item}" for item in items), PARAGRAPH_2])
    assert strip_boilerplate(text, language="de", html=html).text == text
    addresses = [
        "Das Abkommen im Wortlaut: www.example.org/vertrag",
        "Die Erklärung des Kreml: www.example.org/kreml",
    ]
    html = _page(
        "".join(f'<li><a href="https://example.org/{n}">{item}</a></li>' for n, item in enumerate(addresses))
    )
    text = "\n".join([PARAGRAPH_1, *(f"- {item}" for item in addresses), PARAGRAPH_2])
    assert strip_boilerplate(text, language="de", html=html).text == text


def test_kicker_lists_with_a_question_or_a_kicker_element_go_shop_lists_stay() -> None:
    html = (
        f'<html><head><link rel="canonical" href="https://www.example.de/politik/a"></head><body><article>'
        f"<p>{PARAGRAPH_1}</p><ul>"
        '<li><strong>Neue Allianz?</strong> <a href="/politik/b">Europäer reagieren auf die Drohung</a></li>'
        '<li><span>Kursk</span> <a href="/politik/c">Soldaten an der Front gesichtet</a></li>'
        f"</ul><ul>"
        '<li><span>1/2 TL</span> <a href="https://kaufhaus.test/v">Vanilleextrakt</a></li>'
        '<li><span>2 EL</span> <a href="https://kaufhaus.test/k">Kokosmehl vom Markt</a></li>'
        f"</ul><p>{PARAGRAPH_2}</p></article></body></html>"
    )
    linked = "\n".join(
        [
            PARAGRAPH_1,
            "- Neue Allianz? Europäer reagieren auf die Drohung",
            "- Kursk Soldaten an der Front gesichtet",
        ]
    )
    assert strip_boilerplate(f"{linked}\n{PARAGRAPH_2}", language="de", html=html).text == (
        f"{PARAGRAPH_1}\n{PARAGRAPH_2}"
    )
    shop = "\n".join([PARAGRAPH_1, "- 1/2 TL Vanilleextrakt", "- 2 EL Kokosmehl vom Markt", PARAGRAPH_2])
    assert strip_boilerplate(shop, language="de", html=html).text == shop
