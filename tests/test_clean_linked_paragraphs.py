"""Paragraphs that are one link to another story, teaser cards, and a byline opening the article."""

from __future__ import annotations

from tasks.clean import (
    DOUBLED_HEADLINE_RULE,
    LINKED_PARAGRAPH_RULE,
    OPENING_BYLINE_RULE,
    strip_boilerplate,
)

P1 = "Putin and Kim signed the treaty in Pyongyang on June 19, officials said."
P2 = "The treaty obliges each side to help the other if it is attacked, the text says."
HEAD = '<head><link rel="canonical" href="https://news.example.com/world/treaty"></head>'


def _page(body: str) -> str:
    return f"<html>{HEAD}<body><article><p>{P1}</p>{body}<p>{P2}</p></article></body></html>"


def test_a_run_of_linked_paragraphs_goes_a_single_one_stays() -> None:
    one = "Seoul summons the Russian ambassador over the pact"
    two = "North Korean troops seen near Kursk front"
    html = _page(
        f'<p><a href="/world/seoul">{one}</a></p><p><a href="https://www.example.com/kursk">{two}</a></p>'
    )
    result = strip_boilerplate(f"{P1}\n{one}\n{two}\n{P2}", language="en", html=html)
    assert result.text == f"{P1}\n{P2}"
    assert {r.rule for r in result.removed} == {LINKED_PARAGRAPH_RULE}
    alone = _page(f'<p><a href="/world/seoul">{one}</a></p>')
    assert strip_boilerplate(f"{P1}\n{one}\n{P2}", language="en", html=alone).text == f"{P1}\n{one}\n{P2}"


def test_a_linked_paragraph_in_capitals_or_a_card_goes_alone() -> None:
    caps = "VIDEO SHOWS KIM GREETING PUTIN AT THE AIRPORT"
    card = "Kim's armoured train arrives in Vladivostok"
    html = _page(
        f'<p><a href="/video/kim"><strong>{caps}</strong></a></p><p>{P1}</p><a href="/world/train"><h2>{card}</h2></a>'
    )
    text = f"{P1}\n{caps}\n{P1}\n{card}\n{P2}"
    assert strip_boilerplate(text, language="en", html=html).text == f"{P1}\n{P1}\n{P2}"


def test_links_to_other_sites_or_to_the_page_itself_stay() -> None:
    one = "The full text of the treaty in Korean"
    two = "The Kremlin's statement on the ratification"
    html = _page(
        f'<p><a href="https://kcna.example.kp/treaty">{one}</a></p><p><a href="/world/treaty">{two}</a></p>'
    )
    text = f"{P1}\n{one}\n{two}\n{P2}"
    assert strip_boilerplate(text, language="en", html=html).text == text


def test_a_doubled_linked_headline_goes() -> None:
    title = "Seoul summons the Russian ambassador"
    html = _page(f'<h2><span>{title}</span><a href="/world/seoul">{title}</a></h2>')
    result = strip_boilerplate(f"{P1}\n{title} {title}\n{P2}", language="en", html=html)
    assert result.text == f"{P1}\n{P2}"
    assert [r.rule for r in result.removed] == [DOUBLED_HEADLINE_RULE]


def test_a_bold_name_opening_the_article_is_its_byline_a_heading_is_not() -> None:
    html = f"<html><body><p><strong>Jane Roe</strong></p><p>{P1}</p><p>{P2}</p></body></html>"
    result = strip_boilerplate(f"Jane Roe\n{P1}\n{P2}", language="en", html=html)
    assert result.text == f"{P1}\n{P2}"
    assert [r.rule for r in result.removed] == [OPENING_BYLINE_RULE]
    heading = f"<html><body><p><strong>The Outlook</strong></p><p>{P1}</p><p>{P2}</p></body></html>"
    assert (
        strip_boilerplate(f"The Outlook\n{P1}\n{P2}", language="en", html=heading).text
        == f"The Outlook\n{P1}\n{P2}"
    )
    plain = f"<html><body><p>Jane Roe</p><p>{P1}</p></body></html>"
    assert strip_boilerplate(f"Jane Roe\n{P1}", language="en", html=plain).text == f"Jane Roe\n{P1}"
