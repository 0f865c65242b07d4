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

import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from pathlib import Path

CONFIG = Path(__file__).resolve().parent.parent / "config" / "stories.toml"
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")
_NUMBER = re.compile(r"\d+(?:[.,\u00a0\u202f ]\d+)*")
# Chinese, Japanese and Korean write large numbers with units ("1万5000", "1천500", "2.5亿"): thousands first,
# then ten thousands, then hundred millions, so "1억2000만" and "1만5천" come out whole
_CJK_UNITS = (("千천", 10**3), ("万萬만", 10**4), ("亿億억", 10**8))
_CJK_UNIT_PATTERNS = tuple(
    (re.compile(rf"(\d+(?:\.\d+)?) ?[{chars}](\d+(?![.,]\d))?"), unit) for chars, unit in _CJK_UNITS
)
# a month written as a number ("6月", "6월"): European languages write it as a word, so it is not a number
_CJK_MONTH = re.compile(r"(?<![\d.,])\d{1,2} ?[月월]")


class StoriesConfigError(ValueError):
    pass


@dataclass(frozen=True)
class LinkConfig:
    report_hours: float = 36.0
    translation_hours: float = 72.0
    near_containment: float = 0.6
    entities: tuple[tuple[str, re.Pattern], ...] = ()  # event names
    names: tuple[tuple[str, re.Pattern], ...] = ()  # people: evidence only


def _term_regex(term: str) -> str:
    if _CJK.search(term):
        return re.escape(term.casefold()).replace(r"\ ", r"\s*")
    words = []
    for word in term.casefold().split():
        words.append(re.escape(word.rstrip("*")) + (r"\w*" if word.endswith("*") else ""))
    return r"(?<!\w)" + r"[\s\-]+".join(words) + r"(?!\w)"


def load_link_config(path: Path | str | None = None) -> LinkConfig:
    path = Path(path or CONFIG)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise StoriesConfigError(f"{path}: {exc}") from exc
    link = data.get("link", {})
    values = {}
    for key in ("report_hours", "translation_hours", "near_containment"):
        if key in link:
            if not isinstance(link[key], int | float) or link[key] <= 0:
                raise StoriesConfigError(f"{path}: [link] {key} must be a positive number")
            values[key] = float(link[key])
    unknown = set(link) - {"report_hours", "translation_hours", "near_containment"}
    if unknown:
        raise StoriesConfigError(f"{path}: [link] unknown field {sorted(unknown)[0]}")
    unknown = set(data) - {"link", "names", "events"}
    if unknown:
        raise StoriesConfigError(f"{path}: unknown section [{sorted(unknown)[0]}]")
    lists = {}
    for section in ("events", "names"):
        compiled = []
        for name, terms in sorted(data.get(section, {}).items()):
            if (
                not isinstance(terms, list)
                or not terms
                or not all(isinstance(t, str) and t.strip() for t in terms)
            ):
                raise StoriesConfigError(f"{path}: [{section}] {name} must be a non-empty list of strings")
            compiled.append((name, re.compile("|".join(_term_regex(t) for t in terms))))
        lists[section] = tuple(compiled)
    return LinkConfig(entities=lists["events"], names=lists["names"], **values)


@lru_cache(maxsize=1)
def default_config() -> LinkConfig:
    return load_link_config()


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def numbers(text: str) -> list[str]:
    """Numbers as stated, normalised: "1,500" = "1.500" = "1 500" = "1500"; "06" = "6"; "2.5" = "2,5"."""
    found = []
    for match in _NUMBER.finditer(_cjk_numerals(unicodedata.normalize("NFKC", text))):
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


def _cjk_numerals(text: str) -> str:
    """CJK month numbers dropped and unit numerals written out: "1만5000명" -> "15000명"."""
    text = _CJK_MONTH.sub(" ", text)

    def whole(match: re.Match, unit: int) -> str:
        value = float(match.group(1)) * unit
        tail = int(match.group(2)) if match.group(2) else 0
        return str(int(round(value + (tail if tail < unit else 0))))

    for pattern, unit in _CJK_UNIT_PATTERNS:
        text = pattern.sub(lambda m, unit=unit: whole(m, unit), text)
    return text


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


def entities(text: str, config: LinkConfig | None = None, *, people: bool = False) -> frozenset[str]:
    """The event names (or, with `people`, the people) `text` mentions, as config ids."""
    config = config or default_config()
    folded = _fold(text)
    table = config.names if people else config.entities
    return frozenset(name for name, pattern in table if pattern.search(folded))


@dataclass(frozen=True)
class Fingerprint:
    language: str | None
    published: datetime | None
    numbers: frozenset[str]  # distinctive ones
    entities: frozenset[str]  # event names
    names: frozenset[str] = frozenset()  # people
    all_numbers: tuple[str, ...] = field(default=(), compare=False)


def fingerprint(
    title: str, text: str, language: str | None, published: datetime | None, config: LinkConfig | None = None
) -> Fingerprint:
    values, distinct, events, people = _marks(f"{title or ''}\n{text}", config or default_config())
    return Fingerprint(
        language=(language or "").split("-")[0] or None,
        published=published,
        numbers=distinct,
        entities=events,
        names=people,
        all_numbers=values,
    )


@lru_cache(maxsize=2048)
def _marks(
    body: str, config: LinkConfig
) -> tuple[tuple[str, ...], frozenset[str], frozenset[str], frozenset[str]]:
    """Numbers, distinctive numbers, event names and people of a text: the costly part of a fingerprint (one
    regex per configured name), asked for by the lookup keys, the linking and the load of the same batch."""
    values = numbers(body)
    return (
        tuple(values),
        frozenset(distinctive(values)),
        entities(body, config),
        entities(body, config, people=True),
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


def conflicts(a: Fingerprint, b: Fingerprint) -> dict:
    """What one states that the other does not: distinctive numbers and event names on each side."""
    return {
        "numbers_only_new": sorted(a.numbers - b.numbers),
        "numbers_only_known": sorted(b.numbers - a.numbers),
        "entities_only_new": sorted(a.entities - b.entities),
        "entities_only_known": sorted(b.entities - a.entities),
    }


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
    names_differ = bool(diff["entities_only_new"] or diff["entities_only_known"])
    same_language = new.language is not None and new.language == known.language
    if same_language and containment is not None and containment >= config.near_containment:
        evidence["containment"] = round(containment, 3)
        # an edited reprint may drop a paragraph (and its figures) but adds no figures of its own
        small, large = (new, known) if len(new.numbers) <= len(known.numbers) else (known, new)
        extra = small.numbers - large.numbers
        if not extra and not (small.entities - large.entities):
            return Link("copy", round(containment, 3), evidence)
    if names_differ:
        return None
    if new.names & known.names:
        evidence["shared_names"] = sorted(new.names & known.names)
    named_event = bool(new.entities)  # both name the same event (names_differ is False here)
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
    same_event = (named_event or new.names & known.names) and enough
    # independent reports state the event's own figure in their own words and dates: one distinctive number
    # both state, and no other on either side, is the same event when they name it (or name the same people
    # and state most of the same numbers); several, nearly all in common, are the same event by themselves
    union = new.numbers | known.numbers
    only_shared = len(shared) == 1 and len(union) == 1
    same_event = same_event or (only_shared and (named_event or (new.names & known.names and stated >= 0.5)))
    same_event = same_event or (len(shared) >= 3 and len(shared) / len(union) >= 0.75)
    in_time = hours is not None and hours <= config.report_hours
    numbers_agree = len(diff["numbers_only_new"]) <= 1 and len(diff["numbers_only_known"]) <= 1
    if same_event and in_time and numbers_agree:
        overlap = len(shared) / max(1, len(new.numbers | known.numbers))
        evidence["number_overlap"] = round(overlap, 3)
        return Link("report", round(overlap, 3), evidence)
    return None
