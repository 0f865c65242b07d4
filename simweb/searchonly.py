"""Publishers newsmon follows by no feed or sitemap: found only through the search services.

One per configured language (config/topics.toml), each with one on-topic story published during the day
before the demo's clock (2024-11-29, half an hour apart per language), so the nightly's search pass has
something to find in every language. The stories' texts are the first on-story case of the language in the
development set (simweb/langset), written for newsmon. Their pages are served like any other publisher's,
but no feed, sitemap or home page lists them: `SimWeb(search_only=True)` adds them, and
`SimWeb.search_only_truth()` gives their ground truth.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from simweb.blocks import Block
from simweb.content import Article, Chrome, Site
from simweb.labels import labels_for
from simweb.langset import cases

FIRST_PUBLISHED = datetime(2024, 11, 29, 7, 0, tzinfo=UTC)
STEP = timedelta(minutes=30)
# (publisher name, display name) per language: outlets of the language's own press, invented for newsmon
OUTLETS = {
    "id": ("kabar-selat", "Kabar Selat"),
    "en": ("harbour-ledger", "The Harbour Ledger"),
    "ko": ("hanbit-ilbo", "Hanbit Ilbo"),
    "ru": ("vostochny-vestnik", "Vostochny Vestnik"),
    "ja": ("asahikawa-shinpo", "Asahikawa Shinpo"),
    "zh": ("huaxia-zaobao", "Huaxia Zaobao"),
    "de": ("rheinkurier", "Rheinkurier"),
    "fr": ("le-veilleur", "Le Veilleur"),
    "es": ("el-vigia-austral", "El Vigía Austral"),
    "ar": ("al-manara", "Al-Manara"),
    "tr": ("ufuk-haber", "Ufuk Haber"),
    "uk": ("dniprovi-visti", "Dniprovi Visti"),
    "pl": ("kurier-baltycki", "Kurier Bałtycki"),
    "vi": ("song-hong-nhat-bao", "Sông Hồng Nhật Báo"),
    "it": ("la-sentinella", "La Sentinella"),
    "pt": ("o-farol", "O Farol"),
    "hi": ("ganga-samachar", "Ganga Samachar"),
    "fa": ("khabar-alborz", "Khabar Alborz"),
    "nl": ("de-waddenbode", "De Waddenbode"),
    "th": ("chao-phraya-news", "Chao Phraya News"),
    "ms": ("berita-selat-melaka", "Berita Selat Melaka"),
    "he": ("hadashot-hagalil", "Hadashot HaGalil"),
    "cs": ("vltavsky-denik", "Vltavský deník"),
    "ro": ("curierul-dunarii", "Curierul Dunării"),
    "hu": ("tiszai-hirlap", "Tiszai Hírlap"),
}


def search_only_sites(languages: tuple[str, ...] | None = None) -> list[Site]:
    """One search-only publisher per language (default: the topic's languages), in the topic's order."""
    if languages is None:
        from tasks.relevance.topic import load_topic

        languages = load_topic().languages
    first_on = {}
    for case in cases():
        if case.relevant and case.language not in first_on:
            first_on[case.language] = case
    sites = []
    for i, language in enumerate(languages):
        if language not in OUTLETS or language not in first_on:
            raise ValueError(
                f"simweb/searchonly.py: no search-only outlet or story for language {language!r}"
            )
        name, display = OUTLETS[language]
        case = first_on[language]
        labels = labels_for(language)
        article = Article(
            slug=f"{case.id}-search-only",
            title=case.title,
            published=FIRST_PUBLISHED + i * STEP,
            author=display,
            on_topic=True,
            blocks=tuple(Block("p", text=p) for p in case.paragraphs),
            section="world",
            listed=False,
        )
        sites.append(
            Site(
                name=name,
                display_name=display,
                language=language,
                feed="rss",
                section="world",
                chrome=Chrome(
                    nav=(labels.home, labels.latest),
                    cookie_banner="",
                    most_read_heading=labels.latest,
                    most_read=(),
                    footer=(f"\u00a9 2024 {display}",),
                ),
                articles=(article,),
                template="wire",
                search_only=True,
            )
        )
    return sites
