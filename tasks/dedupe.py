"""Exact duplicates: the same canonical URL, or the same text once normalised.

A duplicate is never dropped silently: it becomes a sighting of the first article.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass

_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)


def normalise_text(text: str) -> str:
    """Case, width, accents of compatibility forms, punctuation and spacing do not make two texts different."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return _NON_WORD.sub(" ", folded).strip()


def text_hash(text: str) -> str:
    return hashlib.sha256(normalise_text(text).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class KnownArticle:
    article_id: str
    canonical_url: str
    text_hash: str


@dataclass(frozen=True)
class DuplicateOf:
    article_id: str
    kind: str  # exact | amp | canonical


class DedupeIndex:
    """What is already loaded (from the database) plus what this batch loads, in the order pages are decided."""

    def __init__(self, known: list[KnownArticle]):
        self._by_url = {k.canonical_url: k.article_id for k in known}
        self._by_hash = {k.text_hash: k.article_id for k in known}

    def check(self, canonical: str, digest: str, fetched_url: str, *, is_amp: bool) -> DuplicateOf | None:
        """The article this page duplicates, or None when it is new or is that article itself (seen again).

        Kind: `amp` for an AMP variant of a known page, `canonical` for another URL of a known canonical
        page, `exact` for the same text under another canonical URL (syndication, reposts).
        """
        known = self._by_url.get(canonical)
        if known is not None and fetched_url != canonical:
            return DuplicateOf(known, "amp" if is_amp else "canonical")
        same_text = self._by_hash.get(digest)
        if same_text is not None and same_text != known:
            return DuplicateOf(same_text, "amp" if is_amp else "exact")
        return None

    def add(self, article_id: str, canonical: str, digest: str) -> None:
        self._by_url.setdefault(canonical, article_id)
        self._by_hash.setdefault(digest, article_id)
