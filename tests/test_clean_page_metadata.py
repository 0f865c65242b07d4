"""Lines and title segments that repeat what the page declares of itself: its section, its signed author."""

from __future__ import annotations

import json

from tasks.clean import SECTION_LINE_RULE, SIGNOFF_RULE, clean_title, page_sections, strip_boilerplate

BODY = [
    "Putin and Kim signed the treaty in Pyongyang on 19 June 2024.",
    "The pact obliges both states to give military aid if either is attacked.",
    "Seoul summoned the Russian ambassador the next day.",
]


def _page(head: str = "", body: str = "") -> str:
    paragraphs = "".join(f"<p>{p}</p>" for p in BODY)
    return f"<html><head>{head}</head><body><article>{paragraphs}{body}</article></body></html>"


SECTIONED = _page(
    '<meta property="article:section" content="World">'
    + '<script type="application/ld+json">'
    + json.dumps({"@type": "NewsArticle", "articleSection": ["World", "National"]})
    + "</script>"
)


def test_the_declared_sections_are_read_from_meta_and_json_ld() -> None:
    assert page_sections(SECTIONED) == {"world", "national"}
    assert page_sections(_page()) == frozenset()


def test_a_line_that_is_the_section_goes_and_a_heading_of_that_text_stays() -> None:
    result = strip_boilerplate("\n".join(["World", *BODY]), language="en", html=SECTIONED)
    assert result.text == "\n".join(BODY)
    assert [(r.rule, r.position) for r in result.removed] == [(SECTION_LINE_RULE, 0)]
    headed = _page('<meta property="article:section" content="World">', "<h2>World</h2>")
    text = "\n".join([*BODY, "World"])
    assert strip_boilerplate(text, language="en", html=headed).text == text
    assert strip_boilerplate(text, language="en").text == text  # without the page nothing is known


def test_a_title_loses_the_section_after_the_headline() -> None:
    title, removed = clean_title(
        "Russia and North Korea sign defence pact - National | Globalnews.ca",
        host="globalnews.ca",
        sections={"World", "National"},
    )
    assert title == "Russia and North Korea sign defence pact"
    assert [r.snippet for r in removed] == ["Globalnews.ca", "National"]
    # a headline that ends with a word that is no section keeps it
    assert (
        clean_title("Kim meets Putin - again", host="example.com", sections={"world"})[0]
        == "Kim meets Putin - again"
    )
    # "<section> News" is the section too
    assert clean_title("Police catch two thieves - Samastipur News", sections={"samastipur"})[0] == (
        "Police catch two thieves"
    )


def test_a_signed_name_ending_the_article_goes() -> None:
    signed = _page(body='<p style="text-align:right;"><strong>Lê Phương</strong></p>')
    result = strip_boilerplate("\n".join([*BODY, "Lê Phương"]), language="vi", html=signed)
    assert result.text == "\n".join(BODY)
    assert [r.rule for r in result.removed] == [SIGNOFF_RULE]


def test_a_heading_or_an_unsigned_name_ending_the_article_stays() -> None:
    for body in (
        "<h3>Policy Changes</h3>",
        "<p>Kim Jong Un</p>",
        '<p style="text-align:right">Kim Jong Un said so.</p>',
    ):
        last = body.split(">")[1].split("<")[0]
        text = "\n".join([*BODY, last])
        assert strip_boilerplate(text, language="en", html=_page(body=body)).text == text, body
