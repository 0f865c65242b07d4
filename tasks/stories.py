"""Story linking: which stored article a new one copies, translates or independently reports.

Language-independent fingerprints, no model: the numbers an article states (thousand separators and leading
zeros normalised), the event names it mentions (config/stories.toml maps each name across scripts) and when it
was published. Pure functions; the candidates to compare come from keyed lookups (tasks/repos/dedupe.py).

Rules, most specific first, each refusing on a conflict (zero merges of distinct events matters more than
recall):
- near copy (same language): the shorter text's shingles contained in the longer >= near_containment, and
  neither text states distinctive numbers or event names the other lacks (recycled background paragraphs
  make two distinct stories share text; their own figures and names differ);
- translation (other language): the same distinctive numbers (>= 2, overlap >= 0.8 of the smaller set), most
  of all stated numbers (dates included), the same event names, published within translation_hours;
- report (any language): the same event names, a shared person or event name, >= 2 shared distinctive numbers and no more than
  one distinctive number on either side missing from the other, published within report_hours.
"""

from __future__ import annotations

import hashlib
import json
import re
import tomllib
import unicodedata
from dataclasses import dataclass, field, fields
from datetime import datetime
from functools import lru_cache
from pathlib import Path

CONFIG = Path(__file__).resolve().parent.parent / "config" / "stories.toml"
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")
# Thai and CJK: names match anywhere (no spaces between words, particles attached)
_ANYWHERE = re.compile(r"[\u0e00-\u0e7f\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")
_HANGUL = re.compile(r"[\uac00-\ud7af]")
# Korean attaches particles to a name and makes verbs of nouns with 하다/되다 ("발효된다"): after a name, the rest
# of its eojeol is particles (longest first) and at most one light verb; anything else is a longer word (원산지
# "place of origin" is not 원산, Wonsan)
_KO_PARTICLES = (
    "에서는|에서도|에서의|에서|에게|께서|까지|부터|처럼|보다|으로|이나|이라|이다|이었|이며|에는|에도|과의|와의|로의|"
    "이|가|은|는|을|를|의|에|와|과|도|로|만|나|라|인|였|며|측|들"
)
_KO_TAIL = rf"(?=(?:{_KO_PARTICLES})*(?:(?:하|되|된|됐|돼|한|할|했|함|됨|시키|시킨)[\uac00-\ud7af]*)?(?![\uac00-\ud7af]))"
_NUMBER = re.compile(r"\d+(?:[.,\u00a0\u202f ]\d+)*")
# a month written as a number ("6月", "6월"): European languages write it as a word, so it is not a number
_CJK_MONTH = re.compile(r"(?<![\d.,])\d{1,2} ?[月월]")


class StoriesConfigError(ValueError):
    pass


@dataclass(frozen=True)
class LinkConfig:
    report_hours: float = 36.0
    translation_hours: float = 72.0
    near_containment: float = 0.6
    # an edited reprint keeping less of the text: enough when both state the same figures, at least 3 of them
    near_containment_figures: float = 0.5
    shared_names: float = 2  # links on names alone: at least this many event or evidence names in common
    name_overlap: float = 0.5  # ... and at least this share of the names either states
    entities: tuple[tuple[str, re.Pattern], ...] = ()  # event names
    names: tuple[tuple[str, re.Pattern], ...] = ()  # people, places, institutions: evidence only
    background: tuple[tuple[str, re.Pattern], ...] = ()  # named everywhere: never evidence, never a key

    def __hash__(self) -> int:
        """Computed once: a config is part of every cached fingerprint lookup's key."""
        cached = self.__dict__.get("_hash")
        if cached is None:
            cached = hash(tuple(getattr(self, f.name) for f in fields(self)))
            object.__setattr__(self, "_hash", cached)
        return cached


def _term_regex(term: str, from_literal: bool = False) -> str:
    """A term's pattern on folded text: scripts without spaces anywhere, the others at word edges; a trailing
    "*" allows any ending (cases, suffixes, particles), a leading "*" any prefix (affixes, clitics).

    `from_literal`: the pattern as matched where the term's first literal word begins (a leading "*" then
    needs nothing before it)."""
    term = _fold(term).strip()
    if _ANYWHERE.search(term):
        pattern = re.escape(term.strip("*")).replace(r"\ ", r"\s*")
        if _HANGUL.search(term) and not term.endswith("*"):
            pattern += _KO_TAIL  # the word (eojeol) ends, or only particles or a light verb follow
        return pattern
    prefix = term.startswith("*")
    words = []
    for word in term.lstrip("*").split():
        words.append(re.escape(word.rstrip("*")) + (r"\w*" if word.endswith("*") else ""))
    start = "" if prefix and from_literal else r"(?<!\w)\w*" if prefix else r"(?<!\w)"
    return start + r"[\s\-]+".join(words) + r"(?!\w)"


class _Terms:
    """One name's terms. A term is tried only where its first literal word occurs in the text, and there only
    (`match` at that place): a substring search is far cheaper than running every term's pattern over the whole
    text, and most names are absent from most articles."""

    def __init__(self, terms: list[str]):
        # "!word": a longer known word containing a term (Chinese, Japanese, Thai: no spaces tell it apart)
        excluded = [_fold(t[1:]).strip() for t in terms if t.startswith("!")]
        terms = [t for t in terms if not t.startswith("!")]
        self.exclude = re.compile("|".join(map(re.escape, excluded))) if excluded else None
        self.pattern = re.compile("|".join(_term_regex(t) for t in terms))
        self.anchored = tuple(sorted({_anchored(t) for t in terms}, key=lambda lp: (lp[0], lp[1].pattern)))
        self._hash = hash(self.pattern)  # asked for on every cached fingerprint lookup

    def search(self, folded: str) -> re.Match | None:
        for literal, pattern in self.anchored:
            start = folded.find(literal)
            while start != -1:
                found = pattern.match(folded, start)
                if found and not self._excluded(folded, found):
                    return found
                start = folded.find(literal, start + 1)
        return None

    def _excluded(self, folded: str, found: re.Match) -> bool:
        """Whether the match is inside one of the name's longer known words."""
        if self.exclude is None:
            return False
        begin = max(0, found.start() - 12)
        return any(
            m.start() < found.end() and found.start() < m.end()
            for m in self.exclude.finditer(folded, begin, found.end() + 12)
        )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Terms) and self.pattern == other.pattern

    def __hash__(self) -> int:
        return self._hash


def _anchored(term: str) -> tuple[str, re.Pattern]:
    """A term's first literal word and its pattern from there."""
    literal = _fold(term).strip().strip("*").split()[0].strip("*")
    return literal, re.compile(_term_regex(term, from_literal=True))


def load_link_config(path: Path | str | None = None) -> LinkConfig:
    path = Path(path or CONFIG)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise StoriesConfigError(f"{path}: {exc}") from exc
    link = data.get("link", {})
    values = {}
    fields = (
        "report_hours",
        "translation_hours",
        "near_containment",
        "near_containment_figures",
        "shared_names",
        "name_overlap",
    )
    for key in fields:
        if key in link:
            if not isinstance(link[key], int | float) or link[key] <= 0:
                raise StoriesConfigError(f"{path}: [link] {key} must be a positive number")
            values[key] = float(link[key])
    unknown = set(link) - set(fields)
    if unknown:
        raise StoriesConfigError(f"{path}: [link] unknown field {sorted(unknown)[0]}")
    unknown = set(data) - {"link", "names", "events", "background"}
    if unknown:
        raise StoriesConfigError(f"{path}: unknown section [{sorted(unknown)[0]}]")
    lists = {}
    for section in ("events", "names", "background"):
        compiled = []
        for name, terms in sorted(data.get(section, {}).items()):
            if (
                not isinstance(terms, list)
                or not terms
                or not all(isinstance(t, str) and t.strip("! ") for t in terms)
                or all(t.startswith("!") for t in terms)
            ):
                raise StoriesConfigError(f"{path}: [{section}] {name} must be a non-empty list of strings")
            compiled.append((name, _Terms(terms)))
        lists[section] = tuple(compiled)
    return LinkConfig(
        entities=lists["events"], names=lists["names"], background=lists["background"], **values
    )


@lru_cache(maxsize=1)
def default_config() -> LinkConfig:
    return load_link_config()


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold().replace("\u2019", "'")


def _words(joined: str) -> list[str]:
    return joined.split("|")


# Counting words after a number, as the 25 topic languages write them ("10 thousand" = "10 тысяч" = "1만" =
# "10,000"); matched longest first ("mil millones" before "mil").
_SCALE_WORDS = {
    10**9: _words(
        "billion|billions|milliard|milliards|milliarde|milliarden|mrd|mil millones|miliardi|"
        "miliardo|bilhões|bilhão|miljard|miliard|miliardów|miliardy|miliarde|milliárd|milyar|"
        "miliar|tỷ|млрд|миллиард|миллиарда|миллиардов|мільярд|мільярдів|مليار|میلیارد|מיליארד|अरब|"
        "พันล้าน"
    ),
    10**6: _words(
        "million|millions|millionen|mio|millón|millones|milione|milioni|milhão|milhões|miljoen|"
        "milion|miliony|milionów|milionu|milioane|millió|milyon|juta|triệu|млн|миллион|миллиона|"
        "миллионов|мільйон|мільйона|мільйонів|مليون|ملايين|میلیون|מיליון|मिलियन|ล้าน"
    ),
    10**3: _words(
        "thousand|thousands|tausend|mille|mil|mila|duizend|tysiąc|tysiące|tysięcy|tys|tisíc|"
        "tisíce|tis|mii|ezer|bin|ribu|nghìn|ngàn|тыс|тысяча|тысячи|тысяч|тис|тисяча|тисячі|тисяч|"
        "ألف|آلاف|هزار|אלף|हज़ार|हजार|พัน"
    ),
}
_SCALE = {w: m for m, words in _SCALE_WORDS.items() for w in words}
_AMOUNT = r"\d+(?:[.,]\d+)*"
_SCALED = re.compile(
    rf"(?<![\d.,])({_AMOUNT})[\s\u00a0\u202f]?("
    + "|".join(re.escape(w) for w in sorted(_SCALE, key=len, reverse=True))
    + r")(?!\w)",
    re.I,
)
_CJK_UNITS = {
    "억": 10**8,
    "亿": 10**8,
    "億": 10**8,
    "만": 10**4,
    "万": 10**4,
    "萬": 10**4,
    "천": 10**3,
    "千": 10**3,
}
_CJK_SCALED = re.compile(r"((?:\d+(?:\.\d+)?\s?[억亿億만万萬천千]\s?)+)(\d+(?![.,]\d))?")


def _amount(text: str) -> float:
    parts = re.split(r"[.,]", text)
    if len(parts) > 1 and all(len(p) == 3 for p in parts[1:]):
        return float("".join(parts))
    if len(parts) == 2:
        return float(parts[0] + "." + parts[1])
    return float(parts[0])


def _plain(value: float) -> str:
    return str(int(value)) if value == int(value) else repr(round(value, 3))


def _cjk(match: re.Match) -> str:
    total = sum(
        float(n) * _CJK_UNITS[u]
        for n, u in re.findall(r"(\d+(?:\.\d+)?)\s?([억亿億만万萬천千])", match.group(1))
    )
    return _plain(total + float(match.group(2) or 0)) + " "


def _scaled(match: re.Match) -> str:
    return _plain(_amount(match.group(1)) * _SCALE[match.group(2).casefold()])


def numbers(text: str) -> list[str]:
    """Numbers as stated, normalised: "1,500" = "1.500" = "1 500" = "1500"; "06" = "6"; "2.5" = "2,5";
    counting words and units multiplied out: "10 thousand" = "10 тысяч" = "1만" = "1万" = "10000"."""
    found = []
    text = _CJK_MONTH.sub(" ", unicodedata.normalize("NFKC", text))
    text = _SCALED.sub(_scaled, _CJK_SCALED.sub(_cjk, text))
    for match in _NUMBER.finditer(text):
        parts = re.split(r"[.,\u00a0\u202f ]", match.group())
        if len(parts) > 1 and all(len(p) == 3 for p in parts[1:]):
            value = "".join(parts)
        elif len(parts) == 2 and match.group()[len(parts[0])] in ".,":
            value = parts[0] + "." + parts[1]
        else:  # a run of separate numbers ("19 2024")
            found += [str(int(p)) for p in parts if p]
            continue
        found.append(value.lstrip("0") or "0")
    return found


def distinctive(values: list[str]) -> set[str]:
    """Numbers that tell events apart: not years, not day-of-month or month numbers, not single digits."""
    out = set()
    for v in values:
        if "." in v:
            out.add(v)
            continue
        n = int(v)
        if n > 31 and not 1900 <= n <= 2100:
            out.add(v)
    return out


def entities(
    text: str, config: LinkConfig | None = None, *, people: bool = False, background: bool = False
) -> frozenset[str]:
    """The event names (with `people`: the evidence names; with `background`: the background names) `text`
    mentions, as config ids."""
    config = config or default_config()
    folded = _fold(text)
    table = config.background if background else config.names if people else config.entities
    return frozenset(name for name, pattern in table if pattern.search(folded))


@dataclass(frozen=True)
class Fingerprint:
    language: str | None
    published: datetime | None
    numbers: frozenset[str]  # distinctive ones
    entities: frozenset[str]  # event names
    names: frozenset[str] = frozenset()  # evidence: people, places, institutions
    all_numbers: tuple[str, ...] = field(default=(), compare=False)
    background: frozenset[str] = frozenset()  # named everywhere
    # event names of the headline and lead: what the article is about
    lead_entities: frozenset[str] = frozenset()
    # distinctive numbers of the headline and lead: the event's own figures
    lead_numbers: frozenset[str] = frozenset()

    @property
    def keyed_names(self) -> frozenset[str]:
        """The names an article is looked up by (event and evidence names; background ones would find all)."""
        return self.entities | self.names


def fingerprint(
    title: str, text: str, language: str | None, published: datetime | None, config: LinkConfig | None = None
) -> Fingerprint:
    config = config or default_config()
    values, distinct, events, people, common = _marks(f"{title or ''}\n{text}", config)
    head = lead(title, text)
    return Fingerprint(
        lead_entities=_lead_entities(head, config),
        lead_numbers=frozenset(distinctive(numbers(head))) & distinct,
        language=(language or "").split("-")[0] or None,
        published=published,
        numbers=distinct,
        entities=events,
        names=people,
        all_numbers=values,
        background=common,
    )


MARKS_VERSION = 1  # of the stored fingerprint's form and of the code reading names and numbers


def marks_digest(config: LinkConfig) -> str:
    """What a stored fingerprint was made with: the name lists and patterns, and MARKS_VERSION. A fingerprint
    stored under another digest is made again from the article's text."""
    cached = config.__dict__.get("_marks_digest")
    if cached is None:
        spec = [MARKS_VERSION]
        for section in (config.entities, config.names, config.background):
            spec.append(
                [
                    (name, terms.pattern.pattern, terms.exclude.pattern if terms.exclude else "")
                    for name, terms in section
                ]
            )
        cached = hashlib.sha256(json.dumps(spec, ensure_ascii=False).encode("utf-8")).hexdigest()[:16]
        object.__setattr__(config, "_marks_digest", cached)
    return cached


def _text_digest(title: str | None, text: str | None) -> str:
    return hashlib.blake2b(f"{title or ''}\n{text or ''}".encode(), digest_size=8).hexdigest()


def marks_json(fp: Fingerprint, title: str | None, text: str | None, config: LinkConfig | None = None) -> str:
    """A fingerprint as stored with its article (`article_marks`), so a later batch comparing with the article
    reads it instead of reading names and numbers out of the text again. It names the headline and text it was
    read from, and the name lists it was read with."""
    return json.dumps(
        {
            "v": marks_digest(config or default_config()),
            "text": _text_digest(title, text),
            "language": fp.language,
            "numbers": sorted(fp.numbers),
            "entities": sorted(fp.entities),
            "names": sorted(fp.names),
            "all_numbers": list(fp.all_numbers),
            "background": sorted(fp.background),
            "lead_entities": sorted(fp.lead_entities),
            "lead_numbers": sorted(fp.lead_numbers),
        },
        ensure_ascii=False,
        separators=(",", ":"),
    )


def marks_fingerprint(
    marks: str | None,
    title: str | None,
    text: str | None,
    language: str | None,
    published: datetime | None,
    config: LinkConfig | None = None,
) -> Fingerprint | None:
    """The fingerprint stored as `marks` for this headline, text and language: what `fingerprint` would make of
    them. None when there is none, it cannot be read, or it was made from another text or language or with other
    name lists (then the caller makes it from the text)."""
    if not marks:
        return None
    try:
        data = json.loads(marks)
        if data.get("v") != marks_digest(config or default_config()) or data.get("text") != _text_digest(
            title, text
        ):
            return None
        if data["language"] != ((language or "").split("-")[0] or None):
            return None
        return Fingerprint(
            language=data["language"],
            published=published,
            numbers=frozenset(data["numbers"]),
            entities=frozenset(data["entities"]),
            names=frozenset(data["names"]),
            all_numbers=tuple(data["all_numbers"]),
            background=frozenset(data["background"]),
            lead_entities=frozenset(data["lead_entities"]),
            lead_numbers=frozenset(data["lead_numbers"]),
        )
    except (ValueError, KeyError, TypeError, AttributeError):
        return None


_LEAD_CHARS = 60  # a first paragraph shorter than this (a dateline, a kicker) takes the next one with it


def lead(title: str, text: str) -> str:
    """The headline and the first paragraph: where a news article says which event it reports."""
    paragraphs = [p for p in (text or "").split("\n") if p.strip()]
    first = paragraphs[:1]
    if first and len(first[0]) < _LEAD_CHARS:
        first = paragraphs[:2]
    return "\n".join([title or "", *first])


@lru_cache(maxsize=2048)
def _lead_entities(text: str, config: LinkConfig) -> frozenset[str]:
    return entities(text, config)


@lru_cache(maxsize=2048)
def _marks(
    body: str, config: LinkConfig
) -> tuple[tuple[str, ...], frozenset[str], frozenset[str], frozenset[str], frozenset[str]]:
    """Numbers, distinctive numbers, event names and people of a text: the costly part of a fingerprint (one
    regex per configured name), asked for by the lookup keys, the linking and the load of the same batch."""
    values = numbers(body)
    return (
        tuple(values),
        frozenset(distinctive(values)),
        entities(body, config),
        entities(body, config, people=True),
        entities(body, config, background=True),
    )


@dataclass(frozen=True)
class Link:
    relation: str  # copy | translation | report
    similarity: float
    evidence: dict


def _hours_apart(a: datetime | None, b: datetime | None) -> float | None:
    if a is None or b is None:
        return None
    return abs((a - b).total_seconds()) / 3600.0


def events_differ(a: Fingerprint, b: Fingerprint) -> bool:
    """Two articles are about different events when each names events and none the other names, when both
    leads name events and none in common, or a headline
    or lead names an event the other article never names (unless the two leads share one: a headline may add
    what comes next, "entry into force within days"). An event named only further down (a background paragraph
    recalling the ratification, the satellite launch) keeps nothing apart."""
    if a.entities and b.entities and not a.entities & b.entities:
        return True  # each names events, none the other names
    if a.lead_entities & b.lead_entities:
        return False
    if a.lead_entities and b.lead_entities:
        return True
    return bool((a.lead_entities - b.entities) or (b.lead_entities - a.entities))


def conflicts(a: Fingerprint, b: Fingerprint) -> dict:
    """What one states that the other does not: distinctive numbers and event names on each side."""
    return {
        "numbers_only_new": sorted(a.numbers - b.numbers),
        "numbers_only_known": sorted(b.numbers - a.numbers),
        "entities_only_new": sorted(a.entities - b.entities),
        "entities_only_known": sorted(b.entities - a.entities),
    }


def one_sided_background(a: Fingerprint, b: Fingerprint) -> list[str] | None:
    """The figures only one of two articles states, when the other states figures, all of them in it, and none
    of the extra ones is in the headline or lead of the article stating them; None when both state figures
    the other lacks, or an extra one is in a lead (or neither states a figure the other lacks)."""
    if not a.numbers or not b.numbers or a.numbers == b.numbers:
        return None
    if a.numbers <= b.numbers:
        extra, longer = b.numbers - a.numbers, b
    elif b.numbers <= a.numbers:
        extra, longer = a.numbers - b.numbers, a
    else:
        return None
    return None if extra & longer.lead_numbers else sorted(extra)


def may_copy(new: Fingerprint, known: Fingerprint) -> bool:
    """Whether one of two articles can be an edited copy of the other: a reprint may drop a paragraph (and its
    figures and names) but adds no figures or event names of its own. Texts are compared only when it can."""
    small, large = (new, known) if len(new.numbers) <= len(known.numbers) else (known, new)
    return small.numbers <= large.numbers and small.entities <= large.entities


def judge(
    new: Fingerprint,
    known: Fingerprint,
    *,
    containment: float | None = None,
    config: LinkConfig | None = None,
) -> Link | None:
    """How `new` relates to `known`, with the evidence, or None when nothing links them.

    `containment` (same language only) is the share of the shorter text's shingles in the longer one.
    """
    config = config or default_config()
    diff = conflicts(new, known)
    shared = sorted(new.numbers & known.numbers)
    hours = _hours_apart(new.published, known.published)
    evidence = {"shared_numbers": shared, **{k: v for k, v in diff.items() if v}}
    if hours is not None:
        evidence["hours_apart"] = round(hours, 1)
    names_differ = events_differ(new, known)
    same_language = new.language is not None and new.language == known.language
    same_figures = len(new.numbers) >= 3 and new.numbers == known.numbers and new.entities == known.entities
    threshold = min(config.near_containment, config.near_containment_figures if same_figures else 1.0)
    if same_language and containment is not None and containment >= threshold and may_copy(new, known):
        evidence["containment"] = round(containment, 3)
        return Link("copy", round(containment, 3), evidence)
    if names_differ:
        return None
    if new.names & known.names:
        evidence["shared_names"] = sorted(new.names & known.names)
    named_event = bool(new.entities & known.entities)  # both name an event (and none that differs)
    if not same_language and (len(shared) >= 2 or (named_event and shared)):
        overlap = len(shared) / max(1, min(len(new.numbers), len(known.numbers)))
        a, b = set(new.all_numbers), set(known.all_numbers)
        stated = len(a & b) / max(1, len(a | b))  # every number, dates included: a translation keeps them all
        if overlap >= 0.8 and stated >= 0.6 and (hours is None or hours <= config.translation_hours):
            evidence["number_overlap"] = round(overlap, 3)
            evidence["all_number_overlap"] = round(stated, 3)
            return Link("translation", round(overlap, 3), evidence)
    a, b = set(new.all_numbers), set(known.all_numbers)
    stated = len(a & b) / max(1, len(a | b))
    enough = len(shared) >= 2 or (named_event and len(shared) == 1 and stated >= 0.5)
    named_both = new.names & known.names or new.background & known.background
    same_event = (named_event or named_both) and enough
    # independent reports state the event's own figure in their own words and dates: one distinctive number
    # both state, and no other on either side, is the same event when they name it (or name the same people
    # and state most of the same numbers); several, nearly all in common, are the same event by themselves
    union = new.numbers | known.numbers
    only_shared = len(shared) == 1 and len(union) == 1
    same_event = same_event or (only_shared and (named_event or (named_both and stated >= 0.5)))
    same_event = same_event or (len(shared) >= 3 and len(shared) / len(union) >= 0.75)
    in_time = hours is not None and hours <= config.report_hours
    numbers_agree = len(diff["numbers_only_new"]) <= 1 and len(diff["numbers_only_known"]) <= 1
    # ... and a figure only one side states is not that side's headline or lead figure (another event's count)
    numbers_agree = numbers_agree and not (
        (new.numbers - known.numbers) & new.lead_numbers or (known.numbers - new.numbers) & known.lead_numbers
    )
    if same_event and in_time and numbers_agree:
        overlap = len(shared) / max(1, len(new.numbers | known.numbers))
        evidence["number_overlap"] = round(overlap, 3)
        return Link("report", round(overlap, 3), evidence)
    # few figures in common: the figures and the event and evidence names both state, counted together
    # (background names count for nothing)
    mine = new.keyed_names | {f"#{n}" for n in new.numbers}
    theirs = known.keyed_names | {f"#{n}" for n in known.numbers}
    common = mine & theirs
    name_overlap = len(common) / max(1, len(mine | theirs))
    # a figure one side states and the other lacks, when both state figures, is a different event's, unless
    # only one side states figures the other lacks and none of them is in its headline or lead: a longer
    # report's background paragraph (an earlier count recalled) adds figures a shorter one leaves out, while
    # an event's own figure is in its lead (two votes state two counts)
    background_figures = one_sided_background(new, known)
    figures_differ = bool(new.numbers and known.numbers and new.numbers ^ known.numbers)
    figures_differ = figures_differ and background_figures is None
    if not figures_differ and len(common) >= config.shared_names and name_overlap >= config.name_overlap:
        if background_figures:
            evidence["background_numbers"] = background_figures
        evidence["shared_names"] = sorted(new.keyed_names & known.keyed_names)
        evidence["name_overlap"] = round(name_overlap, 3)
        evidence["all_number_overlap"] = round(stated, 3)
        translated = not same_language and stated >= 0.6 and name_overlap >= 0.8
        if translated and hours is not None and hours <= config.translation_hours:
            return Link("translation", round(name_overlap, 3), evidence)
        if in_time:
            return Link("report", round(name_overlap, 3), evidence)
    return None
