"""The article's list of sources: its label alone on a line, or a list the page labels as sources, goes whole."""

from __future__ import annotations

from tasks.clean import SOURCES_SUFFIX, strip_boilerplate

BODY = [
    "Putin und Kim unterzeichneten den Vertrag am 19. Juni 2024 in Pjöngjang.",
    "Der Vertrag verpflichtet beide Staaten zu militärischem Beistand.",
]
SOURCES = ["- Nachrichtenagentur KCNA", "- Eigene Recherche"]


def _page(before_list: str, items: list[str]) -> str:
    paragraphs = "".join(f"<p>{p}</p>" for p in BODY)
    listed = "".join(f"<li>{item.removeprefix('- ')}</li>" for item in items)
    return (
        f"<html><body><article>{paragraphs}<div>{before_list}<ul>{listed}</ul></div></article></body></html>"
    )


def test_a_sources_label_takes_the_list_under_it() -> None:
    text = "\n".join([*BODY, "Quellen:", *SOURCES])
    result = strip_boilerplate(text, language="de", html=_page("<p>Quellen:</p>", SOURCES))
    assert result.text == "\n".join(BODY)
    assert [r.rule for r in result.removed] == ["de.sources.quellen"] + [
        "de.sources.quellen" + SOURCES_SUFFIX
    ] * 2


def test_a_list_the_page_labels_as_sources_goes_when_the_label_was_not_extracted() -> None:
    text = "\n".join([*BODY, *SOURCES])
    result = strip_boilerplate(text, language="de", html=_page("<div>Verwendete Quellen</div>", SOURCES))
    assert result.text == "\n".join(BODY)
    assert {r.rule for r in result.removed} == {"de.sources.quellen" + SOURCES_SUFFIX}


def test_other_lists_and_partial_lists_stay() -> None:
    items = ["- Truppen in Kursk", "- Munition aus Pjöngjang"]
    text = "\n".join([*BODY, *items])
    # a list under another heading stays
    assert (
        strip_boilerplate(text, language="de", html=_page("<h3>Was der Vertrag regelt</h3>", items)).text
        == text
    )
    # the text holds only part of the labelled list: it is not that list
    page = _page("<div>Quellen</div>", [*items, "- Eigene Recherche"])
    assert strip_boilerplate(text, language="de", html=page).text == text
    # without the page, a run of list items is never taken for sources
    assert strip_boilerplate(text, language="de").text == text
    # a label with no list under it is only a word: it stays
    ending = "\n".join([*BODY, "Quellen:"])
    assert strip_boilerplate(ending, language="de", html=_page("<p>Quellen:</p>", [])).text == ending
