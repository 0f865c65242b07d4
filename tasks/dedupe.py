"""Duplicates: the same canonical URL, the same text once normalised, or nearly the same text.

Near duplicates are syndicated copies that differ by a line or two (their own tagline, a credit, an edit):
MinHash signatures of word 5-shingles (character 5-grams for scripts written without spaces) in an LSH index,
then the estimated Jaccard similarity against a threshold, and edited copies by containment of the shorter
text's shingles in the longer one, refused when either states figures or names the other lacks (two distinct
stories can share recycled background paragraphs). A duplicate is never dropped silently: it becomes a
sighting of the first article. Candidates are found by key (URL, text hash, LSH band, paragraph, pair of names
and numbers on a day), so the cost per page does not grow with the archive; the keys are stored in
`dedupe_keys`.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Set
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from functools import lru_cache
from itertools import combinations

import numpy as np
from datasketch import MinHash

from tasks.stories import (
    Fingerprint,
    Link,
    LinkConfig,
    default_config,
    fingerprint,
    judge,
    marks_fingerprint,
    marks_json,
    may_copy,
)

_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)
_NO_SPACES = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")
NUM_PERM = 64
SCHEME = "affine32"  # datasketch's hashing scheme; stored signatures are only comparable within one scheme
NEAR_THRESHOLD = 0.8  # estimated Jaccard similarity of shingle sets


@lru_cache(maxsize=64)
def normalise_text(text: str) -> str:
    """Case, width, accents of compatibility forms, punctuation and spacing do not make two texts different.

    Cached for the few texts in hand: an article's text hash and its shingles both start from it."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return _NON_WORD.sub(" ", folded).strip()


def text_hash(text: str) -> str:
    return hashlib.sha256(normalise_text(text).encode("utf-8")).hexdigest()


_DIGITS = re.compile(r"\d+")
_SPELLING_VARIANTS = str.maketrans({"ё": "е"})  # Russian texts print ё or е for the same word


def _spaced_digits(match: re.Match[str]) -> str:
    # in normalised text a digit run stands between spaces, letters and the ends of the text
    text, start, end = match.string, match.start(), match.end()
    before = " " if start and text[start - 1] != " " else ""
    after = " " if end < len(text) and text[end] != " " else ""
    return f"{before}{match.group()}{after}"


def shingle_text(text: str) -> str:
    """`normalise_text`, and what house styles vary without changing a word: "170mm" = "170 mm", ё = е."""
    # a space between digits and letters (normalised text holds only word characters and single spaces, so a
    # digit run's neighbours are spaces or letters): a scan for digits, not a test at every position
    return _DIGITS.sub(_spaced_digits, normalise_text(text).translate(_SPELLING_VARIANTS))


def _grams(units, size: int, sep: str) -> set[str]:
    if len(units) < size:
        return {sep.join(units)}
    return {sep.join(gram) for gram in zip(*(units[k:] for k in range(size)), strict=False)}


@lru_cache(maxsize=512)
def shingles(text: str, size: int = 5) -> frozenset[bytes]:
    """Word (or, without spaces, character) 5-grams of the text as `shingle_text` reads it; cached, since a batch
    asks for the same article's shingles for its signature, its lookup and its comparisons (a batch of 100 and
    its candidates fit; an entry holds ~54 KB, so 2,048 of them were 110 MiB of a run's memory)."""
    norm = shingle_text(text)
    if _NO_SPACES.search(norm):
        grams = _grams(norm.replace(" ", ""), size, "")
    else:
        grams = _grams(norm.split(), size, " ")
    return frozenset(g.encode("utf-8") for g in grams if g)


# datasketch draws a signature's permutations from its seed on every construction: drawn once, shared by all
_PERMUTATIONS = MinHash(num_perm=NUM_PERM, scheme=SCHEME).permutations


def minhash(text: str) -> MinHash:
    signature = MinHash(num_perm=NUM_PERM, scheme=SCHEME, permutations=_PERMUTATIONS)
    signature.update_batch(list(shingles(text)))
    return signature


def signature_bytes(signature: MinHash) -> bytes:
    return signature.hashvalues.astype(np.uint32).tobytes()


def signature_from_bytes(blob: bytes) -> MinHash:
    return MinHash(
        num_perm=NUM_PERM,
        hashvalues=np.frombuffer(blob, dtype=np.uint32),
        scheme=SCHEME,
        permutations=_PERMUTATIONS,
    )


_BANDS, _ROWS = 16, 4  # 64 permutations: a pair at Jaccard 0.5 shares a band with probability ~0.65
_MIN_PARAGRAPH_WORDS = 8


def paragraph_hashes(text: str) -> set[str]:
    """Hashes of the text's substantial paragraphs: copies keep some paragraphs word for word."""
    out = set()
    for para in text.split("\n"):
        norm = normalise_text(para)
        size = len(norm.replace(" ", "")) // 3 if _NO_SPACES.search(norm) else len(norm.split())
        if size >= _MIN_PARAGRAPH_WORDS:
            out.add(hashlib.sha256(norm.encode("utf-8")).hexdigest()[:16])
    return out


def band_keys(signature: MinHash) -> set[str]:
    values = signature.hashvalues.astype(np.uint32)
    return {
        f"b{i}:{hashlib.blake2b(values[i * _ROWS : (i + 1) * _ROWS].tobytes(), digest_size=8).hexdigest()}"
        for i in range(_BANDS)
    }


PAIR_ITEMS = 10  # names and numbers an article is keyed by (45 pairs at most); see weak_items


def weak_items(numbers: Iterable[str], names: Iterable[str]) -> list[str]:
    """What an article names and states, as items of its pair keys: event and evidence names (`e:`) and
    distinctive numbers (`n:`), sorted (names first), at most PAIR_ITEMS of them."""
    return sorted({f"e:{n}" for n in names} | {f"n:{n}" for n in numbers})[:PAIR_ITEMS]


def pair_keys(numbers: Iterable[str], names: Iterable[str]) -> set[str]:
    """`w:<item>|<item>`: every pair of the article's names and distinctive numbers, and `s:<number>` for an article
    stating a single distinctive number.

    A name alone is shared by every article of a busy day naming it; a link (translation, report) needs two of
    them in common, or a sole shared figure (tasks.stories.judge), so a pair finds every article the story rules
    can link by names and numbers, and far fewer that they cannot.
    """
    keys = {f"w:{a}|{b}" for a, b in combinations(weak_items(numbers, names), 2)}
    numbers = set(numbers)
    if len(numbers) == 1:
        keys.add(f"s:{next(iter(numbers))}")
    return keys


def lookup_keys(
    canonical: str,
    digest: str,
    text: str,
    signature: MinHash | None,
    numbers: frozenset[str] = frozenset(),
    names: frozenset[str] = frozenset(),
) -> set[str]:
    """Every key a stored article is found by: URL, text hash, LSH bands, paragraphs, and pairs of its distinctive
    numbers and event and evidence names (`pair_keys`).

    Pair (`w:`) and sole-number (`s:`) keys are only looked up within a few days of the article (see
    tasks/repos/dedupe.py).
    """
    keys = {f"u:{canonical}", f"h:{digest}"}
    keys |= {f"p:{h}" for h in paragraph_hashes(text)}
    if signature is not None:
        keys |= band_keys(signature)
    keys |= pair_keys(numbers, names)
    return keys


NUMBER_DAYS = 3  # pair and sole-number keys match only articles published this many days around the page
_DAY_KEYS = ("w:", "s:")  # keys held with their publication day
# Pair keys are shared by the articles of a busy day naming the same two names or figures; an article is compared
# with at most this many of the articles found only by them (those sharing the most keys with it first). Articles
# sharing its URL, text, a paragraph or an LSH band are always compared. This bounds the comparisons per article
# however many articles a day brings.
NAME_CANDIDATES = 48
# A pair or sole-number key is stored for at most this many articles of one day. On a busy day the common pairs
# (the Duma and the ratification) are held by nearly every article; they tell no two of them apart, and a lookup
# meeting hundreds of rows per key turns DuckDB's index lookups into scans of the whole key table. The articles
# past the cap stay findable by their other keys (figures, rarer names, text).
KEY_CAP = 24


def stored_key(key: str, day: date | None) -> str | None:
    """A lookup key as the index holds it: a pair or sole-number key carries its publication day (none without a
    day)."""
    if not key.startswith(_DAY_KEYS):
        return key
    return f"{key}@{day.isoformat()}" if day is not None else None


def probes(key: str, day: date | None) -> list[str]:
    """The held keys a page's key can meet: a pair or sole-number key on each day within NUMBER_DAYS of the page."""
    if not key.startswith(_DAY_KEYS):
        return [key]
    if day is None:
        return []
    return [f"{key}@{near}" for near in _days_around(day)]


@lru_cache(maxsize=4096)
def _days_around(day: date) -> tuple[str, ...]:
    return tuple((day + timedelta(days=d)).isoformat() for d in range(-NUMBER_DAYS, NUMBER_DAYS + 1))


def is_day_key(key: str) -> bool:
    return key.startswith(_DAY_KEYS)


def pick_candidates(
    keys: Iterable[str],
    day: date | None,
    held: Callable[[str], Iterable[str]],
    limit: int = NAME_CANDIDATES,
    exclude: str | None = None,
) -> set[str]:
    """The articles a page is compared with: every one sharing a URL, text, paragraph or band key, and the
    `limit` sharing the most pair and sole-number keys (ties: the smallest ids). `held(key)`: ids holding a key;
    `exclude`: the page's own id."""
    found: set[str] = set()
    shared: Counter[str] = Counter()
    for key in keys:
        for probe in probes(key, day):
            ids = held(probe)
            if is_day_key(probe):
                shared.update(ids)
            else:
                found |= ids
    found.discard(exclude)
    weak = sorted(
        (aid for aid in shared if aid not in found and aid != exclude), key=lambda a: (-shared[a], a)
    )
    return found | set(weak[:limit])


def containment(a: frozenset[bytes], b: frozenset[bytes]) -> float:
    """Share of the smaller shingle set found in the larger one."""
    if not a or not b:
        return 0.0
    small, large = (a, b) if len(a) <= len(b) else (b, a)
    return len(small & large) / len(small)


@dataclass(frozen=True)
class KnownArticle:
    article_id: str
    canonical_url: str
    text_hash: str
    signature: bytes | None = None
    title: str | None = None
    text: str | None = None
    language: str | None = None
    published_at: datetime | None = None
    story_id: str | None = None
    marks: str | None = None  # its stored fingerprint (article_marks; tasks.stories.marks_json)


@dataclass(frozen=True)
class DuplicateOf:
    article_id: str
    kind: str  # exact | amp | canonical | near
    similarity: float = 1.0
    evidence: dict | None = None
    story_id: str | None = None


@dataclass(frozen=True)
class StoryLink:
    """Where a new article goes: its story, how it relates to the article it was linked by, and why."""

    story_id: str
    relation: str  # original | translation | report
    linked_to: str | None = None
    similarity: float = 1.0
    evidence: dict | None = None
    merged: tuple[str, ...] = ()  # story ids merged into story_id by this article


class DedupeIndex:
    """The candidates fetched for a batch (by key, from the database) plus what this batch loads.

    Everything is looked up by key: a page is compared only with articles sharing one of its keys.
    """

    def __init__(
        self,
        known: list[KnownArticle],
        near_threshold: float = NEAR_THRESHOLD,
        config: LinkConfig | None = None,
    ):
        self.near_threshold = near_threshold
        self.config = config or default_config()
        self._by_url: dict[str, str] = {}
        self._by_hash: dict[str, str] = {}
        self._by_key: dict[str, set[str]] = {}
        self._articles: dict[str, KnownArticle] = {}
        self._signatures: dict[str, MinHash] = {}
        self._keys: dict[str, tuple[str, ...]] = {}  # article id -> the keys it is held under
        self._fingerprints: dict[str, Fingerprint] = {}
        self._story: dict[str, str] = {}  # story id -> the story it merged into
        self._stored_holders: dict[str, set[str]] = {}  # day key -> stored articles holding it (last lookup)
        for k in known:
            signature = signature_from_bytes(k.signature) if k.signature is not None else None
            self._remember(k, signature)

    def _remember(self, k: KnownArticle, signature: MinHash | None, fp: Fingerprint | None = None) -> None:
        self._by_url.setdefault(k.canonical_url, k.article_id)
        self._by_hash.setdefault(k.text_hash, k.article_id)
        if k.article_id in self._articles:
            return
        self._articles[k.article_id] = k
        if signature is not None:
            self._signatures[k.article_id] = signature
        if fp is None:
            fp = marks_fingerprint(k.marks, k.title, k.text, k.language, k.published_at, self.config)
        if fp is None:
            fp = fingerprint(k.title or "", k.text or "", k.language, k.published_at, self.config)
        self._fingerprints[k.article_id] = fp
        held = self._stored_keys(k, signature, fp)
        self._keys[k.article_id] = held
        for key in held:
            self._by_key.setdefault(key, set()).add(k.article_id)

    @staticmethod
    def _stored_keys(k: KnownArticle, signature: MinHash | None, fp: Fingerprint) -> tuple[str, ...]:
        day = k.published_at.date() if k.published_at else None
        keys = lookup_keys(k.canonical_url, k.text_hash, k.text or "", signature, fp.numbers, fp.keyed_names)
        return tuple(sorted(filter(None, (stored_key(key, day) for key in keys))))

    def marks(self, article: KnownArticle, fp: Fingerprint | None = None) -> str:
        """An article's fingerprint (`fp`, made from it with this index's name lists when not given) as stored
        with it (`article_marks`)."""
        fp = fp or self._fingerprint(article)
        return marks_json(fp, article.title, article.text, self.config)

    def _fingerprint(self, article: KnownArticle) -> Fingerprint:
        return fingerprint(
            article.title or "", article.text or "", article.language, article.published_at, self.config
        )

    def extend(self, known: list[KnownArticle]) -> None:
        """More stored candidates (the next batch's); articles already held are kept as they are, and count as
        just needed."""
        for k in known:
            if k.article_id in self._articles:
                self._articles[k.article_id] = self._articles.pop(k.article_id)  # most recently needed last
            elif k.text is not None:
                self._remember(k, signature_from_bytes(k.signature) if k.signature is not None else None)

    def held(self) -> frozenset[str]:
        return frozenset(self._articles)

    def evict(self, limit: int, keep: Set[str] = frozenset()) -> int:
        """Let go of the least recently needed articles until at most `limit` are held (never those in `keep`);
        how many went. Story merges are kept: they are what resolves an old story id."""
        gone = 0
        for article_id in list(self._articles):
            if len(self._articles) <= limit:
                break
            if article_id in keep:
                continue
            k = self._articles.pop(article_id)
            self._signatures.pop(article_id, None)
            self._fingerprints.pop(article_id, None)
            for key in self._keys.pop(article_id, ()):
                ids = self._by_key.get(key)
                if ids is not None:
                    ids.discard(article_id)
                    if not ids:
                        del self._by_key[key]
            if self._by_url.get(k.canonical_url) == article_id:
                del self._by_url[k.canonical_url]
            if self._by_hash.get(k.text_hash) == article_id:
                del self._by_hash[k.text_hash]
            gone += 1
        return gone

    def story_of(self, article_id: str) -> str:
        return self.resolve(self._articles[article_id].story_id or article_id)

    def resolve(self, story_id: str) -> str:
        """The story `story_id` merged into (itself when it has not merged)."""
        while story_id in self._story:
            story_id = self._story[story_id]
        return story_id

    def _shingles_of(self, article_id: str) -> frozenset[bytes]:
        return shingles(self._articles[article_id].text or "")  # cached by text, not held per article

    def _candidates(self, keys: set[str], exclude: str | None, day: date | None = None) -> list[str]:
        empty: set[str] = set()
        return sorted(pick_candidates(keys, day, lambda key: self._by_key.get(key, empty), exclude=exclude))

    def near(self, signature: MinHash, exclude: str | None = None) -> DuplicateOf | None:
        """The most similar known article at or above the MinHash threshold (ties: the smallest id)."""
        best: tuple[float, str] | None = None
        for candidate in self._candidates(band_keys(signature), exclude):
            if candidate not in self._signatures:
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
            return DuplicateOf(known, "amp" if is_amp else "canonical", story_id=self.story_of(known))
        same_text = self._by_hash.get(digest)
        if same_text is not None and same_text != known:
            return DuplicateOf(same_text, "amp" if is_amp else "exact", story_id=self.story_of(same_text))
        return None

    def relate(
        self, article: KnownArticle, signature: MinHash | None, fp: Fingerprint | None = None
    ) -> tuple[DuplicateOf | None, StoryLink | None]:
        """An edited copy of a known article (a duplicate), or the story a new article joins, with evidence.
        `fp`: the article's fingerprint, when the analysis made it."""
        fp = fp or self._fingerprint(article)
        keys = lookup_keys(
            article.canonical_url,
            article.text_hash,
            article.text or "",
            signature,
            fp.numbers,
            fp.keyed_names,
        )
        mine = shingles(article.text or "")
        links: list[tuple[int, float, str, Link]] = []
        rank = {"copy": 0, "translation": 1, "report": 2}
        day = article.published_at.date() if article.published_at else None
        for candidate in self._candidates(keys, article.article_id, day):
            other = self._fingerprints[candidate]
            contained = None
            if fp.language is not None and fp.language == other.language and may_copy(fp, other):
                contained = containment(mine, self._shingles_of(candidate))
                if signature is not None and candidate in self._signatures:
                    jaccard = signature.jaccard(self._signatures[candidate])
                    if jaccard >= self.near_threshold:
                        contained = max(contained, jaccard)
            link = judge(fp, other, containment=contained, config=self.config)
            if link is not None:
                links.append((rank[link.relation], -link.similarity, candidate, link))
        links.sort(key=lambda t: (t[0], t[1], t[2]))
        if links and links[0][3].relation == "copy":
            _, _, candidate, link = links[0]
            return DuplicateOf(
                candidate, "near", link.similarity, link.evidence, self.story_of(candidate)
            ), None
        if not links:
            return None, StoryLink(article.article_id, "original")
        _, _, candidate, link = links[0]
        story = self.story_of(candidate)
        merged = tuple(sorted({self.story_of(c) for _, _, c, _ in links} - {story}))
        return None, StoryLink(story, link.relation, candidate, link.similarity, link.evidence, merged)

    def add(
        self,
        article_id: str,
        canonical: str,
        digest: str,
        signature: MinHash | None = None,
        *,
        article: KnownArticle | None = None,
        story: StoryLink | None = None,
        fp: Fingerprint | None = None,
    ) -> tuple[str, ...]:
        """Hold a newly decided article; returns the keys it is stored under (`dedupe_keys`, written by the load)."""
        if story is not None:
            for old in story.merged:
                self._story[old] = story.story_id
        known = article or KnownArticle(article_id, canonical, digest)
        if story is not None:
            known = replace(known, story_id=story.story_id)
        self._remember(known, signature, fp)
        if self._articles[article_id] is known:
            keys = self._keys[article_id]
        else:
            # held already (the same article seen again): the keys of this version, as the load stores them
            keys = self._stored_keys(known, signature, fp or self._fingerprint(known))
        return tuple(k for k in keys if not self._saturated(k, article_id))

    def know_holders(self, holders: dict[str, set[str]]) -> None:
        """The stored articles holding each day key of the batch being decided (from its lookup): with the
        articles this run holds, what tells a key that has reached KEY_CAP."""
        self._stored_holders = holders

    def _saturated(self, key: str, article_id: str) -> bool:
        if not is_day_key(key):
            return False
        empty: set[str] = set()
        others = self._stored_holders.get(key, empty) | self._by_key.get(key, empty)
        return len(others - {article_id}) >= KEY_CAP
