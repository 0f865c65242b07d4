"""Term matching: how a topic's terms are folded (`normalize`), compiled per language selection (one regex
per kind of script: spaced scripts by whole words with `*` stems, CJK and Thai as substrings, Arabic, Persian
and Hebrew after their proclitics) and found in a text (`find_terms`), minus excluded phrases."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Scripts written without spaces between words: terms in them match as substrings.
_CJK_RANGES = (
    "\u1100-\u11ff"  # Hangul jamo
    "\u3040-\u30ff"  # Hiragana, Katakana
    "\u3130-\u318f"  # Hangul compatibility jamo
    "\u31f0-\u31ff"  # Katakana phonetic extensions
    "\u3400-\u4dbf"  # CJK extension A
    "\u4e00-\u9fff"  # CJK unified ideographs
    "\uac00-\ud7af"  # Hangul syllables
    "\uf900-\ufaff"  # CJK compatibility ideographs
    "\U00020000-\U0003134f"  # CJK extensions B-G
    "\u0e00-\u0e7f"  # Thai: no spaces between words either
)
CJK_CHAR = re.compile(f"[{_CJK_RANGES}]")
# A letter or digit of a spaced script. CJK characters are word characters to `\b`, which would
# stop "Kursk" matching in "在Kursk地区"; word boundaries here only look at spaced scripts.
_WORD = f"[^\\W_{_CJK_RANGES}]"
_WORD_START = f"(?<!{_WORD})"
_WORD_END = f"(?!{_WORD})"
_SEPARATOR = r"[\s\-\u2010]+"  # between the words of a multi-word term ("Kim Jong-un")
MIN_STEM = 4  # a single-word stem shorter than this starts too many unrelated words

# Middle dots vary by keyboard and font (북·러, 북ㆍ러, ウラジーミル・プーチン); fold them to one.
_MIDDLE_DOTS = str.maketrans(
    {"\u318d": "·", "\u2027": "·", "\u30fb": "·", "\uff65": "·", "\u2022": "·",
     # zero-width joiners and soft hyphens: Persian writes پیونگ‌یانگ with a ZWNJ that extraction may drop
     "\u200c": None, "\u200d": None, "\u00ad": None}
)  # fmt: skip
# Proclitics written joined to the next word: Arabic/Persian (wa-, fa-, bi-, li-, ka- and the article al-)
# and Hebrew (ve-, ha-, be-, le-, mi-, she-, ke-). A term in those scripts may follow them.
_ARABIC = re.compile("[\u0600-\u06ff]")
_HEBREW = re.compile("[\u0590-\u05ff]")
_ARABIC_PREFIX = "(?:[\u0648\u0641])?(?:[\u0628\u0643]?\u0627\u0644|\u0644\u0644|[\u0628\u0644\u0643])?"
_PREFIXED = re.compile("[\u0590-\u06ff]")
_HEBREW_PREFIX = "[\u05d5\u05d4\u05d1\u05dc\u05de\u05e9\u05db]{0,3}"
_ACCENTS = re.compile("[\u0300-\u036f]")  # combining marks used by Latin and Cyrillic only


@dataclass(frozen=True)
class TermGroup:
    name: str
    weight: float
    terms: dict[str, tuple[str, ...]]  # language -> terms as written in the config
    exclude: tuple[str, ...] = ()
    # short names (a leader's surname alone: "Kim") that name the group only in a text naming it in full elsewhere
    short: tuple[str, ...] = ()


@dataclass(frozen=True)
class GroupMatcher:
    """A group's terms compiled for one language selection: one regex per kind of script.

    In each regex, capture group i+1 is the i-th term of the matching tuple, so a match names its term.
    """

    group: str
    spaced: re.Pattern[str] | None  # Latin, Cyrillic: whole words
    spaced_terms: tuple[str, ...]
    unspaced: re.Pattern[str] | None  # CJK: substrings
    unspaced_terms: tuple[str, ...]
    exclude: re.Pattern[str] | None
    # Arabic, Persian, Hebrew: whole words after optional proclitics. Apart, because a pattern that may start
    # with an optional prefix cannot skip ahead by its first character, which would slow every other script.
    prefixed: re.Pattern[str] | None = None
    prefixed_terms: tuple[str, ...] = ()
    skipping: re.Pattern[str] | None = None  # `spaced` for texts without CJK or Thai characters (faster)
    short: GroupMatcher | None = None  # the group's short names, compiled the same way


def normalize(text: str) -> str:
    """Fold case, Latin/Cyrillic accents, ё, full-width forms and middle dots so terms match variants.

    Hangul and kana survive: NFKD splits them but NFC puts them back, and their marks
    (dakuten) lie outside the stripped range.
    """
    # Dots first: NFKD turns the Hangul one (U+318D) into a vowel jamo.
    decomposed = unicodedata.normalize("NFKD", text.translate(_MIDDLE_DOTS).casefold())
    return unicodedata.normalize("NFC", _ACCENTS.sub("", decomposed))


def find_terms(matcher: GroupMatcher, text: str) -> list[tuple[str, int]]:
    """(term, start) for every match in `text`, in text order, minus those overlapping an excluded phrase."""
    if not text:
        return []
    found: list[tuple[int, int, str]] = []
    spaced = matcher.spaced
    if matcher.skipping is not None and CJK_CHAR.search(text) is None:
        spaced = matcher.skipping
    for pattern, terms in (
        (spaced, matcher.spaced_terms),
        (matcher.unspaced, matcher.unspaced_terms),
        (matcher.prefixed, matcher.prefixed_terms),
    ):
        if pattern is not None:
            # lastindex is always set: every alternative is a capture group
            found.extend((m.start(), m.end(), terms[(m.lastindex or 1) - 1]) for m in pattern.finditer(text))
    if matcher.exclude is not None and found:
        excluded = [m.span() for m in matcher.exclude.finditer(text)]
        found = [
            f for f in found if not any(f[0] < ex_end and ex_start < f[1] for ex_start, ex_end in excluded)
        ]
    found.sort()
    return [(term, start) for start, _, term in found]


def base_language(language: str | None) -> str | None:
    if not language:
        return None
    return language.replace("_", "-").split("-")[0].strip().lower() or None


def is_cjk(term: str) -> bool:
    return CJK_CHAR.search(term) is not None


def _words(term: str) -> list[str]:
    return [w for part in term.split() for w in part.split("-") if w]


def _spaced_body(term: str) -> str:
    """A normalised spaced-script term without its word boundaries; `*` ends a stem."""
    body = _SEPARATOR.join(
        re.escape(w[:-1]) + r"\w*" if w.endswith("*") else re.escape(w) for w in _words(term)
    )
    if _ARABIC.match(term):
        return _ARABIC_PREFIX + body
    if _HEBREW.match(term):
        return _HEBREW_PREFIX + body
    return body


def _unspaced_body(term: str) -> str:
    return r"\s*".join(re.escape(w) for w in term.split())


def _spaced_regex(bodies: list[str]) -> str:
    # The boundaries are factored out of the alternation: one lookbehind per position, not per term.
    return f"{_WORD_START}(?:{'|'.join(bodies)}){_WORD_END}"


def _skipping_pattern(keys: list[str]) -> re.Pattern[str] | None:
    """The spaced terms' pattern for texts without a character of the unspaced scripts, written so that the
    regex engine skips ahead by the terms' first letters (None when a term has no literal first letter).

    The plain pattern opens with its word-start test, so it is tried at every position of the text; one whose
    alternatives each open with a literal character is tried only where one of those characters stands. So each
    term's first character comes first and the word-start test follows it, looking one character further back.
    That test is "no letter or digit before" (`[^\\W_]`): in a text without CJK or Thai characters it says what
    `_WORD_START` says, and it costs nothing to compile once per term, which the class with the unspaced scripts
    does. Same matches, same capture group per term; a few times faster on a page's text.
    """
    alternatives = []
    for key in keys:
        words = _words(key)
        if not words or words[0].startswith("*"):
            return None
        rest = _SEPARATOR.join(
            re.escape(w[:-1]) + r"\w*" if w.endswith("*") else re.escape(w)
            for w in [words[0][1:], *words[1:]]
        )
        alternatives.append(f"{re.escape(words[0][0])}(?<![^\\W_][\\s\\S])({rest})")
    return re.compile(f"(?:{'|'.join(alternatives)}){_WORD_END}")


def _unspaced_regex(bodies: list[str], first_chars: set[str]) -> str:
    # Checking the first character up front lets Latin text skip the whole alternation.
    return f"(?=[{''.join(sorted(re.escape(c) for c in first_chars))}])(?:{'|'.join(bodies)})"


def compile_groups(groups: dict[str, TermGroup], languages: tuple[str, ...]) -> tuple[GroupMatcher, ...]:
    return tuple(_compile_group(group, languages) for group in groups.values())


def _compile_group(group: TermGroup, languages: tuple[str, ...]) -> GroupMatcher:
    by_key: dict[str, str] = {}  # normalised term -> its first spelling in the config, which is reported
    for language in languages:
        for term in group.terms[language]:
            by_key.setdefault(normalize(term), term)
    # Longest first and exact before stem, so the most specific term is the one reported.
    keys = sorted(by_key, key=lambda k: (-len(k.replace("*", "")), k.count("*"), k))
    spaced = [k for k in keys if not is_cjk(k) and not _PREFIXED.match(k)]
    prefixed = [k for k in keys if not is_cjk(k) and _PREFIXED.match(k)]
    unspaced = [k for k in keys if is_cjk(k)]

    spaced_pattern = unspaced_pattern = exclude = prefixed_pattern = skipping = None
    if spaced:
        spaced_pattern = re.compile(_spaced_regex([f"({_spaced_body(k)})" for k in spaced]))
        skipping = _skipping_pattern(spaced)
    if prefixed:
        # only text of those scripts can match: a lookahead on the script lets other text skip quickly
        prefixed_pattern = re.compile(
            "(?=[\u0590-\u06ff])" + _spaced_regex([f"({_spaced_body(k)})" for k in prefixed])
        )
    if unspaced:
        bodies = [f"({_unspaced_body(k)})" for k in unspaced]
        unspaced_pattern = re.compile(_unspaced_regex(bodies, {k[0] for k in unspaced}))
    if group.exclude:
        phrases = [normalize(t) for t in group.exclude]
        exclude = re.compile(
            "|".join(_unspaced_body(p) if is_cjk(p) else _spaced_regex([_spaced_body(p)]) for p in phrases)
        )
    short = None
    if group.short:
        alone = TermGroup(group.name, group.weight, {lang: group.short for lang in languages}, group.exclude)
        short = _compile_group(alone, languages)
    return GroupMatcher(
        group=group.name,
        short=short,
        spaced=spaced_pattern,
        spaced_terms=tuple(by_key[k] for k in spaced),
        unspaced=unspaced_pattern,
        unspaced_terms=tuple(by_key[k] for k in unspaced),
        exclude=exclude,
        prefixed=prefixed_pattern,
        prefixed_terms=tuple(by_key[k] for k in prefixed),
        skipping=skipping,
    )
