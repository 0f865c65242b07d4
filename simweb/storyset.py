"""A development set for duplicate groups and stories, written for newsmon, with its ground truth.

Four on-topic events close in time and subject (the treaty signing; the limousine gift the next day; the Duma
ratification; the Federation Council vote two weeks later), each with a wire original, an exact copy on
another site, an edited reprint (new headline, rewritten lead, a dropped paragraph, its own boilerplate), a
translation or two (numbers written the local way) and an independent report. Background paragraphs are
recycled across events, as outlets do. `pages()` gives each page's HTML and truth: `group` (same article:
original, copies, edited reprints), `event` (same story) and `relation`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from html import escape

BASE = "http://127.0.0.9"

BACKGROUND_EN = (
    "The Comprehensive Strategic Partnership treaty between Russia and North Korea was signed in Pyongyang on "
    "19 June 2024 by Vladimir Putin and Kim Jong Un; its fourth article obliges each side to give military "
    "assistance if the other is attacked."
)
BACKGROUND_DE = (
    "Der Vertrag über eine umfassende strategische Partnerschaft zwischen Russland und Nordkorea wurde am "
    "19. Juni 2024 in Pjöngjang von Wladimir Putin und Kim Jong Un unterzeichnet; Artikel vier verpflichtet "
    "beide Seiten zu militärischem Beistand im Fall eines Angriffs."
)
BACKGROUND_RU = (
    "Договор о всеобъемлющем стратегическом партнерстве между Россией и КНДР подписали в Пхеньяне "
    "19 июня 2024 года Владимир Путин и Ким Чен Ын; четвертая статья обязывает стороны оказывать военную "
    "помощь в случае нападения."
)

# event -> language -> (title, paragraphs); the first language listed is the wire original
TEXTS: dict[str, dict[str, tuple[str, list[str]]]] = {
    "signing": {
        "en": (
            "Putin and Kim sign mutual defence treaty in Pyongyang",
            [
                "Russian President Vladimir Putin and North Korean leader Kim Jong Un signed a treaty on Wednesday "
                "that commits Russia and North Korea to mutual military assistance, after talks that lasted 160 minutes.",
                "The document has 23 articles and replaces the 1961 treaty and the 2000 agreement, Kremlin aide "
                "Yuri Ushakov told reporters, adding that some 2,500 people attended the welcome ceremony.",
                "Kim Jong Un called the pact the strongest treaty in the history of the two countries, while Putin "
                "said Moscow did not rule out military-technical cooperation with Pyongyang.",
                "The visit was Putin's first trip to North Korea in 24 years, and he left for Vietnam on Thursday "
                "after a stay of 21 hours.",
                BACKGROUND_EN,
            ],
        ),
        "de": (
            "Putin und Kim unterzeichnen Beistandspakt in Pjöngjang",
            [
                "Der russische Präsident Wladimir Putin und der nordkoreanische Machthaber Kim Jong Un haben am "
                "Mittwoch einen Vertrag über gegenseitigen militärischen Beistand zwischen Russland und Nordkorea "
                "unterzeichnet, nach Gesprächen von 160 Minuten.",
                "Das Dokument umfasst 23 Artikel und ersetzt den Vertrag von 1961 und das Abkommen von 2000, sagte "
                "Kreml-Berater Juri Uschakow; rund 2.500 Menschen nahmen an der Begrüßungszeremonie teil.",
                "Kim Jong Un nannte den Pakt den stärksten Vertrag in der Geschichte beider Länder; Putin schloss "
                "eine militärtechnische Zusammenarbeit mit Pjöngjang nicht aus.",
                "Es war Putins erster Besuch in Nordkorea seit 24 Jahren; nach 21 Stunden reiste er am Donnerstag "
                "nach Vietnam weiter.",
            ],
        ),
        "ru": (
            "Путин и Ким Чен Ын подписали в Пхеньяне договор о взаимной помощи",
            [
                "Президент России Владимир Путин и лидер КНДР Ким Чен Ын в среду подписали договор, который "
                "обязывает Россию и КНДР оказывать друг другу военную помощь; переговоры длились 160 минут.",
                "Документ состоит из 23 статей и заменяет договор 1961 года и соглашение 2000 года, сообщил "
                "помощник президента Юрий Ушаков; в церемонии встречи участвовали около 2 500 человек.",
                "Ким Чен Ын назвал пакт самым сильным договором в истории двух стран, а Путин не исключил "
                "военно-техническое сотрудничество с Пхеньяном.",
                "Это первый визит Путина в КНДР за 24 года; через 21 час он улетел во Вьетнам.",
            ],
        ),
    },
    "limousine": {
        "en": (
            "Putin gives Kim Jong Un an Aurus limousine after signing Russia North Korea treaty",
            [
                "Vladimir Putin presented Kim Jong Un with a Russian-made Aurus limousine on Thursday, the Kremlin "
                "said, the second such car the North Korean leader has received from Russia.",
                "The two leaders took turns driving the limousine around a park in Pyongyang for about 50 minutes, "
                "state media showed; the car is estimated to cost 350,000 dollars.",
                "Putin also gave Kim a tea set and an admiral's dirk, while Kim presented busts of Putin and 7 "
                "Pungsan hunting dogs, North Korean media reported.",
                BACKGROUND_EN,
            ],
        ),
        "ru": (
            "Путин подарил Ким Чен Ыну лимузин Aurus после подписания договора России и КНДР",
            [
                "Владимир Путин в четверг подарил Ким Чен Ыну российский лимузин Aurus, сообщили в Кремле; это "
                "второй такой автомобиль, который лидер КНДР получил от России.",
                "Лидеры по очереди водили лимузин по парку в Пхеньяне около 50 минут; стоимость автомобиля "
                "оценивается в 350 000 долларов.",
                "Путин также подарил Киму чайный сервиз и кортик, а Ким подарил бюсты Путина и 7 собак породы пхунсан.",
                BACKGROUND_RU,
            ],
        ),
    },
    "duma": {
        "en": (
            "Russia's State Duma ratifies North Korea defence treaty",
            [
                "Russia's lower house of parliament, the State Duma, on Thursday unanimously ratified the treaty "
                "with North Korea that provides for mutual military assistance.",
                "All 399 deputies present voted in favour, Duma speaker Vyacheslav Volodin said, calling the "
                "pact a response to the policy of Washington and its allies.",
                "Deputy foreign minister Andrei Rudenko told lawmakers the treaty was not directed against third "
                "countries, and the vote took 12 minutes of debate.",
                BACKGROUND_EN,
            ],
        ),
        "de": (
            "Russische Duma ratifiziert Beistandsvertrag mit Nordkorea",
            [
                "Das russische Unterhaus, die Staatsduma, hat am Donnerstag einstimmig den Vertrag mit Nordkorea "
                "über gegenseitigen militärischen Beistand ratifiziert.",
                "Alle 399 anwesenden Abgeordneten stimmten dafür, sagte Duma-Präsident Wjatscheslaw Wolodin; er "
                "nannte den Pakt eine Antwort auf die Politik Washingtons.",
                "Vizeaußenminister Andrej Rudenko sagte, der Vertrag richte sich nicht gegen Drittstaaten; die "
                "Debatte dauerte 12 Minuten.",
                BACKGROUND_DE,
            ],
        ),
    },
    "council": {
        "en": (
            "Russia's Federation Council approves North Korea treaty",
            [
                "Russia's upper house, the Federation Council, on Wednesday approved the treaty with North Korea, "
                "completing its ratification after the State Duma voted for it last month.",
                "All 153 senators present backed the document, the chamber said; Putin is expected to sign the "
                "ratification law within days.",
                "The treaty will enter into force when the two countries exchange instruments of ratification, "
                "senator Grigory Karasin said, adding that 60 days were not needed.",
                "All 399 deputies of the State Duma voted for the treaty on 24 October.",
                BACKGROUND_EN,
            ],
        ),
        "ru": (
            "Совет Федерации одобрил договор с КНДР",
            [
                "Совет Федерации в среду одобрил договор о всеобъемлющем стратегическом партнерстве с КНДР, "
                "завершив ратификацию после голосования Госдумы в прошлом месяце.",
                "Все 153 присутствовавших сенатора поддержали документ; ожидается, что Путин подпишет закон о "
                "ратификации в ближайшие дни.",
                "Договор вступит в силу после обмена ратификационными грамотами, сказал сенатор Григорий Карасин, "
                "добавив, что 60 дней для этого не потребуется.",
                "Все 399 депутатов Госдумы проголосовали за договор 24 октября.",
                BACKGROUND_RU,
            ],
        ),
    },
}

# independent reports: other outlets' own wording of the same facts (their own numbers in common)
REPORTS: dict[str, tuple[str, str, list[str]]] = {
    "signing": (
        "en",
        "Russia and North Korea pledge to defend each other under new pact",
        [
            "North Korea and Russia have agreed to come to each other's aid if attacked, under a pact that Kim "
            "Jong Un and Vladimir Putin put their names to in Pyongyang.",
            "Officials said the 23-article text followed 160 minutes of talks; state television showed a crowd of "
            "about 2,500 at the airport welcome.",
            "Western governments said the agreement deepened their concern over arms transfers to Russia.",
        ],
    ),
    "duma": (
        "ru",
        "Госдума единогласно ратифицировала договор с КНДР",
        [
            "Государственная дума ратифицировала договор о стратегическом партнерстве России и КНДР, за "
            "проголосовали все 399 депутатов.",
            "Председатель Госдумы Вячеслав Володин заявил, что договор отвечает интересам обеих стран; обсуждение "
            "заняло 12 минут.",
            "Законопроект внес в парламент Владимир Путин.",
        ],
    ),
}

OUTLETS = ["wire", "daily", "herald", "courier", "post", "gazette", "times", "echo"]
DAYS = {
    "signing": datetime(2024, 6, 19, 9, 0, tzinfo=UTC),
    "limousine": datetime(2024, 6, 20, 8, 0, tzinfo=UTC),
    "duma": datetime(2024, 10, 24, 11, 0, tzinfo=UTC),
    "council": datetime(2024, 11, 6, 10, 0, tzinfo=UTC),
}


@dataclass(frozen=True)
class Page:
    path: str
    url: str
    language: str
    published: datetime
    event: str  # same story
    group: str  # same article: original, copies and edited reprints
    relation: str  # original | exact | near | translation | report
    html: str


def _html(url: str, title: str, paragraphs: list[str], language: str, published: datetime, site: str) -> str:
    body = "\n".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    return (
        f'<!doctype html><html lang="{language}"><head><meta charset="utf-8"><title>{escape(title)}</title>'
        f'<link rel="canonical" href="{url}"><meta property="og:url" content="{url}">'
        f'<meta property="article:published_time" content="{published.isoformat()}">'
        f'<meta property="og:site_name" content="{site}"></head><body><header><nav><a href="/">{site}</a> | '
        f'<a href="/world">World</a></nav></header><article><h1>{escape(title)}</h1>{body}</article>'
        f"<footer>© {site}</footer></body></html>"
    )


def _edit(title: str, paragraphs: list[str], site: str) -> tuple[str, list[str]]:
    """An edited reprint: its own headline, a reworded lead, the last paragraph dropped, its own tagline."""
    lead = paragraphs[0]
    reworded = "In a statement carried by state media, " + lead[0].lower() + lead[1:]
    return (f"{title} — {site} report", [reworded, *paragraphs[1:-1], f"Follow {site} for more world news."])


def pages() -> list[Page]:
    out: list[Page] = []
    for event, versions in TEXTS.items():
        day = DAYS[event]
        languages = list(versions)
        original_lang = languages[0]
        title, paragraphs = versions[original_lang]
        group = f"{event}-{original_lang}"

        def add(
            outlet: str,
            lang: str,
            title: str,
            paras: list[str],
            hours: float,
            group: str,
            relation: str,
            event: str = event,
            day: datetime = day,
        ):
            slug = f"{event}-{lang}-{relation}"
            url = f"{BASE}/{outlet}/{slug}.html"
            published = day + timedelta(hours=hours)
            out.append(
                Page(
                    f"{outlet}/{slug}.html",
                    url,
                    lang,
                    published,
                    event,
                    group,
                    relation,
                    _html(url, title, paras, lang, published, outlet),
                )
            )

        add("wire", original_lang, title, paragraphs, 0, group, "original")
        add("daily", original_lang, title, paragraphs, 1, group, "exact")
        add("herald", original_lang, *_edit(title, paragraphs, "Herald"), 2, group, "near")
        for i, lang in enumerate(languages[1:]):
            t, p = versions[lang]
            add(OUTLETS[3 + i], lang, t, p, 3 + i, f"{event}-{lang}", "translation")
        if event in REPORTS:
            lang, t, p = REPORTS[event]
            add("times", lang, t, p, 5, f"{event}-report", "report")
    return out
