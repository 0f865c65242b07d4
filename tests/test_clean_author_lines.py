"""A line that is only the page's declared author (meta tags, JSON-LD) is a byline; other short lines stay."""

from __future__ import annotations

import json

from tasks.clean import AUTHOR_BIO_RULE, AUTHOR_LINE_RULE, strip_boilerplate

BODY = [
    "Putin und Kim unterzeichneten den Vertrag am 19. Juni 2024 in Pjöngjang.",
    "Der Vertrag verpflichtet beide Staaten zu militärischem Beistand.",
]


def _page(head: str) -> str:
    paragraphs = "".join(f"<p>{p}</p>" for p in BODY)
    return f"<html><head>{head}</head><body><article>{paragraphs}</article></body></html>"


def _json_ld(authors: list[dict]) -> str:
    data = {"@context": "https://schema.org", "@type": "NewsArticle", "author": authors}
    return f'<script type="application/ld+json">{json.dumps(data)}</script>'


def test_the_declared_author_alone_or_listed_goes() -> None:
    html = _page(
        '<meta name="author" content="Mira Sommer">'
        + _json_ld(
            [{"@type": "Person", "name": "Karl Brandt"}, {"@type": "Person", "name": "Ольга Смирнова"}]
        )
    )
    text = "\n".join(["Mira Sommer", *BODY, "Karl Brandt und Mira Sommer", "- Ольга Смирнова, Karl Brandt"])
    result = strip_boilerplate(text, language="de", html=html)
    assert result.text == "\n".join(BODY)
    assert [(r.rule, r.position) for r in result.removed] == [
        (AUTHOR_LINE_RULE, 0),
        (AUTHOR_LINE_RULE, 3),
        (AUTHOR_LINE_RULE, 4),
    ]


def test_lines_that_only_mention_the_author_stay() -> None:
    html = _page(
        '<meta name="author" content="Kim Jong Un">' + _json_ld([{"@type": "Person", "name": "Mira Sommer"}])
    )
    text = "\n".join(
        [
            *BODY,
            "Kim Jong Un empfing Putin am Flughafen.",  # a sentence naming the "author"
            "Mira Sommer und die Delegation",  # a list with someone who is not an author
            "Mira Sommer:",  # a speaker label of an interview
        ]
    )
    assert strip_boilerplate(text, language="de", html=html).text == text


def test_a_profile_url_is_no_author_and_without_the_page_nothing_goes() -> None:
    html = _page('<meta property="article:author" content="https://www.facebook.com/zeitung">')
    text = "\n".join([*BODY, "https://www.facebook.com/zeitung", "Mira Sommer"])
    assert strip_boilerplate(text, language="de", html=html).text == text
    assert strip_boilerplate("\n".join([*BODY, "Mira Sommer"]), language="de").text == "\n".join(
        [*BODY, "Mira Sommer"]
    )


def test_the_declared_authors_bio_goes_with_the_fragment_split_from_it() -> None:
    html = _page(
        '<meta name="author" content="Mira Sommer">'
        + _json_ld([{"@type": "Person", "name": "Jana Holt and Tom Reyes"}])
    )
    bios = [
        "Korrespondentin Mira Sommer ist bei der Zeitung für Osteuropa zuständig.",
        "Jana Holt is a senior researcher at the Institute for Korean Studies. Tom Reyes",
        "is a visiting lecturer at the University of Seoul.",
    ]
    result = strip_boilerplate("\n".join([*BODY, *bios]), language="de", html=html)
    assert result.text == "\n".join(BODY)
    assert [(r.rule, r.position) for r in result.removed] == [
        (AUTHOR_BIO_RULE, 2),
        (AUTHOR_BIO_RULE, 3),
        (AUTHOR_BIO_RULE, 4),
    ]


def test_sentences_about_others_or_quoting_the_author_stay() -> None:
    html = _page('<meta name="author" content="Mira Sommer">')
    text = "\n".join(
        [
            *BODY,
            "Lankov is a professor at Kookmin University, who said the pact changes little.",  # not the author
            '"Mira Sommer ist nicht erreichbar", sagte der Sprecher.',  # a quote naming her
            "Is a deal with Pyongyang worth the risk?",  # a question, not after a bio
            "Die Gespräche mit Mira Sommer ist man in Moskau leid, schreibt die Agentur.",  # the name further in
            "Mit Mira Sommer ist man in Moskau unzufrieden, schreibt die Agentur.",  # after a preposition
        ]
    )
    assert strip_boilerplate(text, language="de", html=html).text == text
