"""Duplicates: the same canonical URL, the same text once normalised, or nearly the same text.

Near duplicates are syndicated copies that differ by a line or two (their own tagline, a credit, an edit):
MinHash signatures of word 5-shingles (character 5-grams for scripts written without spaces) in an LSH index,
then the estimated Jaccard similarity against a threshold. A duplicate is never dropped silently: it becomes a
sighting of the first article.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass

import numpy as np
from datasketch import MinHash, MinHashLSH

_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)
_NO_SPACES = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")
NUM_PERM = 64
SCHEME = "affine32"  # datasketch's hashing scheme; stored signatures are only comparable within one scheme
NEAR_THRESHOLD = 0.8  # estimated Jaccard similarity of shingle sets


def normalise_text(text: str) -> str:
    """Case, width, accents of compatibility forms, punctuation and spacing do not make two texts different."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return _NON_WORD.sub(" ", folded).strip()


def text_hash(text: str) -> str:
    return hashlib.sha256(normalise_text(text).encode("utf-8")).hexdigest()


def shingles(text: str, size: int = 5) -> set[bytes]:
    norm = normalise_text(text)
    if _NO_SPACES.search(norm):
        chars = norm.replace(" ", "")
        grams = {chars[i : i + size] for i in range(max(1, len(chars) - size + 1))}
    else:
        words = norm.split()
        grams = {" ".join(words[i : i + size]) for i in range(max(1, len(words) - size + 1))}
    return {g.encode("utf-8") for g in grams if g}


def minhash(text: str) -> MinHash:
    signature = MinHash(num_perm=NUM_PERM, scheme=SCHEME)
    signature.update_batch(list(shingles(text)))
    return signature


def signature_bytes(signature: MinHash) -> bytes:
    return signature.hashvalues.astype(np.uint32).tobytes()


def signature_from_bytes(blob: bytes) -> MinHash:
    return MinHash(num_perm=NUM_PERM, hashvalues=np.frombuffer(blob, dtype=np.uint32), scheme=SCHEME)


@dataclass(frozen=True)
class KnownArticle:
    article_id: str
    canonical_url: str
    text_hash: str
    signature: bytes | None = None


@dataclass(frozen=True)
class DuplicateOf:
    article_id: str
    kind: str  # exact | amp | canonical | near
    similarity: float = 1.0


class DedupeIndex:
    """What is already loaded (from the database) plus what this batch loads, in the order pages are decided."""

    def __init__(self, known: list[KnownArticle], near_threshold: float = NEAR_THRESHOLD):
        self._by_url = {k.canonical_url: k.article_id for k in known}
        self._by_hash = {k.text_hash: k.article_id for k in known}
        self.near_threshold = near_threshold
        self._lsh = MinHashLSH(threshold=near_threshold, num_perm=NUM_PERM)
        self._signatures: dict[str, MinHash] = {}
        for k in known:
            if k.signature is not None and k.article_id not in self._signatures:
                self._remember(k.article_id, signature_from_bytes(k.signature))

    def _remember(self, article_id: str, signature: MinHash) -> None:
        self._signatures[article_id] = signature
        self._lsh.insert(article_id, signature)

    def near(self, signature: MinHash, exclude: str | None = None) -> DuplicateOf | None:
        """The most similar known article at or above the threshold (ties: the smallest id, for determinism)."""
        best: tuple[float, str] | None = None
        for candidate in self._lsh.query(signature):
            if candidate == exclude:
                continue
            similarity = signature.jaccard(self._signatures[candidate])
            if similarity >= self.near_threshold and (
                best is None or (-similarity, candidate) < (-best[0], best[1])
            ):
                best = (similarity, candidate)
        return DuplicateOf(best[1], "near", round(best[0], 3)) if best else None

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

    def add(self, article_id: str, canonical: str, digest: str, signature: MinHash | None = None) -> None:
        self._by_url.setdefault(canonical, article_id)
        self._by_hash.setdefault(digest, article_id)
        if signature is not None and article_id not in self._signatures:
            self._remember(article_id, signature)
