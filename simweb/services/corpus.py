"""The simulated publishers' stories as the search services see them: URL, language, when first seen."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from simweb.catalog import Catalog, Page

SLOT = timedelta(minutes=15)  # GDELT publishes its files every 15 minutes
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

LANGUAGE_NAMES = {
    "id": "Indonesian",
    "en": "English",
    "ko": "Korean",
    "ru": "Russian",
    "ja": "Japanese",
    "zh": "Chinese",
    "de": "German",
    "fr": "French",
    "es": "Spanish",
    "ar": "Arabic",
    "tr": "Turkish",
    "uk": "Ukrainian",
    "pl": "Polish",
    "vi": "Vietnamese",
    "it": "Italian",
    "pt": "Portuguese",
    "hi": "Hindi",
    "fa": "Persian",
    "nl": "Dutch",
    "th": "Thai",
    "ms": "Malay",
    "he": "Hebrew",
    "cs": "Czech",
    "ro": "Romanian",
    "hu": "Hungarian",
}
# GDELT's translation info names the source language in ISO 639-3
LANGUAGE_CODES_639_3 = {
    "id": "ind",
    "en": "eng",
    "ko": "kor",
    "ru": "rus",
    "ja": "jpn",
    "zh": "zho",
    "de": "deu",
    "fr": "fra",
    "es": "spa",
    "ar": "ara",
    "tr": "tur",
    "uk": "ukr",
    "pl": "pol",
    "vi": "vie",
    "it": "ita",
    "pt": "por",
    "hi": "hin",
    "fa": "fas",
    "nl": "nld",
    "th": "tha",
    "ms": "msa",
    "he": "heb",
    "cs": "ces",
    "ro": "ron",
    "hu": "hun",
}
COUNTRIES = {
    "id": "Indonesia",
    "en": "United Kingdom",
    "ko": "South Korea",
    "ru": "Russia",
    "ja": "Japan",
    "zh": "China",
    "de": "Germany",
    "fr": "France",
    "es": "Spain",
    "ar": "Egypt",
    "tr": "Turkey",
    "uk": "Ukraine",
    "pl": "Poland",
    "vi": "Vietnam",
    "it": "Italy",
    "pt": "Brazil",
    "hi": "India",
    "fa": "Iran",
    "nl": "Netherlands",
    "th": "Thailand",
    "ms": "Malaysia",
    "he": "Israel",
    "cs": "Czech Republic",
    "ro": "Romania",
    "hu": "Hungary",
}


@dataclass(frozen=True)
class Story:
    """One article page of a publisher (originals and syndicated copies; not AMP variants or documents)."""

    page: Page
    publisher: str
    display_name: str
    language: str
    base_url: str  # the publisher's origin, e.g. http://127.0.0.12:40321

    @property
    def url(self) -> str:
        return self.base_url + self.page.path

    @property
    def title(self) -> str:
        return self.page.title

    @property
    def published(self) -> datetime:
        return self.page.published

    @property
    def seen(self) -> datetime:
        """When a crawler first saw it: the end of the 15-minute slot it was published in."""
        return seen_at(self.page.published)

    @property
    def on_topic(self) -> bool:
        return self.page.on_topic

    @property
    def domain(self) -> str:
        return urlsplit(self.base_url).hostname or ""


def seen_at(published: datetime) -> datetime:
    return published - (published - _EPOCH) % SLOT + SLOT


class Corpus:
    """Stories of every publisher, with the clock of the simulated web."""

    def __init__(self, catalog: Catalog, base_urls: dict[str, str], clock: Callable[[], datetime]) -> None:
        self.catalog = catalog
        self.base_urls = base_urls
        self.clock = clock
        self.stories = [
            Story(page, site.name, site.display_name, site.language, base_urls[site.name])
            for site in catalog.sites
            for page in catalog.pages(site.name)
            if page.kind in ("article", "syndicated")
        ]
        self.stories.sort(key=lambda s: (s.published, s.url))

    def now(self) -> datetime:
        return self.clock()

    def out(self) -> list[Story]:
        """Stories published by now."""
        now = self.clock()
        return [s for s in self.stories if s.published <= now]

    def days(self) -> list[datetime]:
        """Midnights (UTC) of the days any story was published on."""
        return sorted({datetime.combine(s.published.date(), datetime.min.time(), UTC) for s in self.stories})
