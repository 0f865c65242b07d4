"""Topic relevance: does an article cover the monitored topic, in any configured language?

The topic is data (`config/topics.toml`): term groups per language, scoring weights and a
threshold, plus one news-search query per language. `load_topic` validates it; each term group is
compiled once per Topic and language selection (one regex per kind of script), so scoring an
article is a handful of regex scans.
"""

from __future__ import annotations

import bisect
import hashlib
import math
import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DEFAULT_TOPIC_PATH = Path(__file__).resolve().parent.parent / "config" / "topics.toml"

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
_CJK_CHAR = re.compile(f"[{_CJK_RANGES}]")
# A letter or digit of a spaced script. CJK characters are word characters to `\b`, which would
# stop "Kursk" matching in "在Kursk地区"; word boundaries here only look at spaced scripts.
_WORD = f"[^\\W_{_CJK_RANGES}]"
_WORD_START = f"(?<!{_WORD})"
_WORD_END = f"(?!{_WORD})"
_SEPARATOR = r"[\s\-\u2010]+"  # between the words of a multi-word term ("Kim Jong-un")
_MIN_STEM = 4  # a single-word stem shorter than this starts too many unrelated words

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


class TopicConfigError(ValueError):
    """A topic file that cannot be used, with the file, the section (usually a group) and the problem.

    `path`, `section` and `problem` name the first problem; `lines` holds every problem found in the file,
    one line each, and is what the message shows.
    """

    def __init__(self, path: Path | str, section: str, problem: str) -> None:
        self.path = Path(path)
        self.section = section
        self.problem = problem
        self.lines = [f"{self.path}: [{section}] {problem}"]
        super().__init__(self.lines[0])

    @classmethod
    def combine(cls, errors: list[TopicConfigError]) -> TopicConfigError:
        first = errors[0]
        combined = cls(first.path, first.section, first.problem)
        combined.lines = [line for error in errors for line in error.lines]
        combined.args = ("\n".join(combined.lines),)
        return combined


class _Problems:
    """Collects the problems of one file so that a user sees all of them in one pass, not one per run."""

    def __init__(self) -> None:
        self.errors: list[TopicConfigError] = []

    def check(self, function, *args, **kwargs):
        """`function(*args, **kwargs)`, or None with its problems recorded."""
        try:
            return function(*args, **kwargs)
        except TopicConfigError as exc:
            self.errors.append(exc)
            return None

    def raise_any(self) -> None:
        if self.errors:
            raise TopicConfigError.combine(self.errors)


@dataclass(frozen=True)
class TermGroup:
    name: str
    weight: float
    terms: dict[str, tuple[str, ...]]  # language -> terms as written in the config
    exclude: tuple[str, ...] = ()


@dataclass(frozen=True)
class Scoring:
    required: tuple[str, ...]
    any_of: tuple[str, ...]
    threshold: float
    title_weight: float
    lead_weight: float
    body_weight: float
    lead_chars: int
    saturation: float
    # The story must be the subject: the title or the lead names both `required` groups, or at least
    # this share of the text's paragraphs does. Otherwise a passing score is an aside.
    min_body_share: float = 0.25


@dataclass(frozen=True)
class _GroupMatcher:
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


@dataclass(frozen=True)
class Topic:
    name: str
    languages: tuple[str, ...]
    groups: dict[str, TermGroup]
    scoring: Scoring
    queries: dict[str, str]  # language -> Google News search query
    gnews: dict[str, dict[str, str]]  # language -> {"hl", "gl", "ceid"} for Google News RSS
    path: Path
    fingerprint: str  # sha256 prefix of the config file: ties each decision to the terms that made it
    sourcelang: dict[str, str] = field(default_factory=dict)  # language -> GDELT `sourcelang:` name
    # Compiled on first use per language selection (None = all languages); filling a dict is
    # safe across threads, and a rare double compile is harmless.
    _matchers: dict[str | None, tuple[_GroupMatcher, ...]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def _compiled_for(self, language: str | None) -> tuple[_GroupMatcher, ...]:
        key = _base_language(language)
        if key not in self.languages:
            key = None
        compiled = self._matchers.get(key)
        if compiled is None:
            if key is None:
                chosen = self.languages
            else:
                # English terms too: English names and wire copy turn up in every edition.
                chosen = (key, "en") if "en" in self.languages and key != "en" else (key,)
            compiled = self._matchers[key] = _compile(self.groups, chosen)
        return compiled


@dataclass(frozen=True)
class Relevance:
    score: float
    relevant: bool
    matched: dict[str, list[str]]  # group -> distinct config terms found, in order of first appearance
    reason: str = (
        ""  # subject:title | subject:lead | subject:body_share=0.40 | aside:body_share=0.10 | off_topic:...
    )
    body_share: float = 0.0  # share of paragraphs naming every required group


def normalize(text: str) -> str:
    """Fold case, Latin/Cyrillic accents, ё, full-width forms and middle dots so terms match variants.

    Hangul and kana survive: NFKD splits them but NFC puts them back, and their marks
    (dakuten) lie outside the stripped range.
    """
    # Dots first: NFKD turns the Hangul one (U+318D) into a vowel jamo.
    decomposed = unicodedata.normalize("NFKD", text.translate(_MIDDLE_DOTS).casefold())
    return unicodedata.normalize("NFC", _ACCENTS.sub("", decomposed))


def load_topic(path: Path | str | None = None) -> Topic:
    """Read and validate a topic file (default: the repository's config/topics.toml)."""
    path = Path(path) if path is not None else DEFAULT_TOPIC_PATH
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise TopicConfigError(path, "file", f"cannot be read: {exc.strerror or exc}") from exc
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise TopicConfigError(path, "file", f"is not valid UTF-8 TOML: {exc}") from exc

    problems = _Problems()
    scoring = None
    required = {"name", "languages", "scoring", "groups", "queries"}
    if not isinstance(data, dict):  # pragma: no cover - tomllib always gives a table
        raise TopicConfigError(path, "top level", "must be a table")
    problems.check(_check_keys, path, "top level", data, required=required)
    name = problems.check(_string, path, "top level", data, "name") if "name" in data else None
    languages = problems.check(_languages, path, data["languages"]) if "languages" in data else None
    groups = problems.check(_groups, path, data["groups"], languages) if "groups" in data else None
    if "scoring" in data:
        defined = set(data["groups"]) if isinstance(data.get("groups"), dict) else set()
        scoring = problems.check(_scoring, path, data["scoring"], defined, groups)
    found_queries = problems.check(_queries, path, data["queries"], languages) if "queries" in data else None
    problems.raise_any()
    queries, gnews, sourcelang = found_queries
    return Topic(
        name=name,
        languages=languages,
        groups=groups,
        scoring=scoring,
        queries=queries,
        gnews=gnews,
        path=path,
        fingerprint=hashlib.sha256(raw).hexdigest()[:16],
        sourcelang=sourcelang,
    )


_NEWLINE = re.compile("\n")


def score_relevance(
    title: str | None, text: str | None, topic: Topic, language: str | None = None
) -> Relevance:
    """Score an article against the topic.

    `language` (e.g. "de", "zh-CN") narrows matching to that language's terms plus English ones,
    which avoids cross-language false friends (Spanish "rusa" is Indonesian for deer). Pass None
    when the language is unknown or only a guess: a wrong hint hides the article's own terms.
    A language the topic does not configure counts as unknown.
    """
    s = topic.scoring
    title_n = normalize(title or "")
    text_n = normalize(text or "")
    breaks = [m.start() for m in _NEWLINE.finditer(text_n)]

    score = 0.0
    matched: dict[str, list[str]] = {}
    in_title: set[str] = set()
    in_lead: set[str] = set()
    lines_of: dict[str, set[int]] = {}  # group -> paragraphs (line numbers) it is named in
    for matcher in topic._compiled_for(language):
        hits = 0.0
        found: dict[str, None] = {}  # ordered set
        for term, _ in _find(matcher, title_n):
            hits += s.title_weight
            found[term] = None
            in_title.add(matcher.group)
        for term, start in _find(matcher, text_n):
            lead = start < s.lead_chars
            hits += s.lead_weight if lead else s.body_weight
            found[term] = None
            line = bisect.bisect_left(breaks, start)
            if lead and line == 0:  # the subject's lead is the first paragraph, however short
                in_lead.add(matcher.group)
            lines_of.setdefault(matcher.group, set()).add(line)
        if found:
            matched[matcher.group] = list(found)
            score += topic.groups[matcher.group].weight * (1.0 - math.exp(-hits / s.saturation))

    subject = set(s.required)
    paragraphs = len(breaks) + 1 if text_n.strip() else 0
    both = set.intersection(*(lines_of.get(g, set()) for g in subject)) if subject else set()
    share = round(len(both) / paragraphs, 3) if paragraphs else 0.0
    passes = (
        all(g in matched for g in s.required)
        and (not s.any_of or any(g in matched for g in s.any_of))
        and score >= s.threshold
    )
    if not passes:
        reason = "off_topic:" + ",".join(sorted(matched)) if matched else "off_topic"
        relevant = False
    elif subject <= in_title or (
        # a title naming one country, with paragraphs naming both: unless the lead names the other, those
        # paragraphs must be a real share of the text (a live blog's one entry on the pair is an aside)
        subject & in_title
        and len(both) >= 2
        and (subject <= in_title | in_lead or share >= s.min_body_share / 2)
    ):
        reason, relevant = "subject:title", True
    elif subject <= (in_title | in_lead) or (
        # a lead naming one country with two more of the story's groups ("the Russian president ... a defence
        # pact with Kim Jong Un"), in an article where some paragraph names both
        len(in_title | in_lead) >= 3 and subject & (in_title | in_lead) and len(both) >= 2
    ):
        reason, relevant = "subject:lead", True
    elif share >= s.min_body_share:
        reason, relevant = f"subject:body_share={share:.2f}", True
    else:
        reason, relevant = f"aside:body_share={share:.2f}", False
    return Relevance(
        score=round(score, 4), relevant=relevant, matched=matched, reason=reason, body_share=share
    )


def _find(matcher: _GroupMatcher, text: str) -> list[tuple[str, int]]:
    """(term, start) for every match in `text`, in text order, minus those overlapping an excluded phrase."""
    if not text:
        return []
    found: list[tuple[int, int, str]] = []
    spaced = matcher.spaced
    if matcher.skipping is not None and _CJK_CHAR.search(text) is None:
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


def _base_language(language: str | None) -> str | None:
    if not language:
        return None
    return language.replace("_", "-").split("-")[0].strip().lower() or None


def _is_cjk(term: str) -> bool:
    return _CJK_CHAR.search(term) is not None


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


def _compile(groups: dict[str, TermGroup], languages: tuple[str, ...]) -> tuple[_GroupMatcher, ...]:
    return tuple(_compile_group(group, languages) for group in groups.values())


def _compile_group(group: TermGroup, languages: tuple[str, ...]) -> _GroupMatcher:
    by_key: dict[str, str] = {}  # normalised term -> its first spelling in the config, which is reported
    for language in languages:
        for term in group.terms[language]:
            by_key.setdefault(normalize(term), term)
    # Longest first and exact before stem, so the most specific term is the one reported.
    keys = sorted(by_key, key=lambda k: (-len(k.replace("*", "")), k.count("*"), k))
    spaced = [k for k in keys if not _is_cjk(k) and not _PREFIXED.match(k)]
    prefixed = [k for k in keys if not _is_cjk(k) and _PREFIXED.match(k)]
    unspaced = [k for k in keys if _is_cjk(k)]

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
            "|".join(_unspaced_body(p) if _is_cjk(p) else _spaced_regex([_spaced_body(p)]) for p in phrases)
        )
    return _GroupMatcher(
        group=group.name,
        spaced=spaced_pattern,
        spaced_terms=tuple(by_key[k] for k in spaced),
        unspaced=unspaced_pattern,
        unspaced_terms=tuple(by_key[k] for k in unspaced),
        exclude=exclude,
        prefixed=prefixed_pattern,
        prefixed_terms=tuple(by_key[k] for k in prefixed),
        skipping=skipping,
    )


# --- validation -------------------------------------------------------------------------------


def _check_keys(
    path: Path, section: str, table: Any, required: set[str], optional: frozenset[str] = frozenset()
) -> None:
    if not isinstance(table, dict):
        raise TopicConfigError(path, section, "must be a table")
    problems = _Problems()
    missing = sorted(required - table.keys())
    if missing:
        problems.errors.append(TopicConfigError(path, section, f"missing key(s): {', '.join(missing)}"))
    unknown = sorted(table.keys() - required - optional)
    if unknown:
        problems.errors.append(TopicConfigError(path, section, f"unknown key(s): {', '.join(unknown)}"))
    problems.raise_any()


def _string(path: Path, section: str, table: dict[str, Any], key: str) -> str:
    value = table[key]
    if not isinstance(value, str) or not value.strip():
        raise TopicConfigError(path, section, f"{key} must be a non-empty string")
    return value.strip()


def _number(path: Path, section: str, table: dict[str, Any], key: str, *, positive: bool) -> float:
    value = table[key]
    # bool is an int subclass; `threshold = true` is a typo, not 1.0
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or math.isnan(value)
        or math.isinf(value)
    ):
        raise TopicConfigError(path, section, f"{key} must be a number, got {value!r}")
    if value < 0 or (positive and value == 0):
        raise TopicConfigError(path, section, f"{key} must be {'> 0' if positive else '>= 0'}, got {value!r}")
    return float(value)


def _string_list(path: Path, section: str, value: Any, what: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise TopicConfigError(path, section, f"{what} must be a list of non-empty strings")
    return tuple(v.strip() for v in value)


def _languages(path: Path, value: Any) -> tuple[str, ...]:
    languages = _string_list(path, "languages", value, "languages")
    if not languages:
        raise TopicConfigError(path, "languages", "list at least one language")
    problems = _Problems()
    if len(set(languages)) != len(languages):
        problems.errors.append(TopicConfigError(path, "languages", "a language is listed twice"))
    for language in languages:
        if _base_language(language) != language:
            problems.errors.append(
                TopicConfigError(
                    path, "languages", f"{language!r}: use a lower-case base code such as 'en', 'zh'"
                )
            )
    problems.raise_any()
    return languages


def _check_term(path: Path, section: str, term: str) -> None:
    if _is_cjk(term):
        if "*" in term:
            raise TopicConfigError(path, section, f"term {term!r}: '*' stems are for spaced scripts only")
        if len(term.replace(" ", "")) < 2:
            raise TopicConfigError(
                path, section, f"term {term!r}: a single CJK character matches inside unrelated words"
            )
        return
    words = [w for part in term.split() for w in part.split("-") if w]
    if not words or any(w.strip("*") == "" or "*" in w[:-1] for w in words):
        raise TopicConfigError(path, section, f"term {term!r}: '*' may only end a word")
    if len(words) == 1 and words[0].endswith("*") and len(words[0]) - 1 < _MIN_STEM:
        raise TopicConfigError(path, section, f"term {term!r}: a stem needs at least {_MIN_STEM} letters")


def _groups(path: Path, value: Any, languages: tuple[str, ...] | None) -> dict[str, TermGroup]:
    """Every group checked, every problem recorded; `languages` None when the language list itself is bad
    (then the per-language checks are skipped rather than reported against a wrong list)."""
    if not isinstance(value, dict) or not value:
        raise TopicConfigError(path, "groups", "define at least one term group as [groups.NAME]")
    problems = _Problems()
    groups = {}
    for name, table in value.items():
        group = problems.check(_group, path, name, table, languages)
        if group is not None:
            groups[name] = group
    problems.raise_any()
    return groups


def _group(path: Path, name: str, table: Any, languages: tuple[str, ...] | None) -> TermGroup:
    section = f"groups.{name}"
    _check_keys(path, section, table, required={"terms"}, optional=frozenset({"weight", "exclude"}))
    problems = _Problems()
    weight = (
        problems.check(_number, path, section, table, "weight", positive=True) if "weight" in table else 1.0
    )
    exclude = problems.check(_string_list, path, section, table.get("exclude", []), "exclude") or ()
    for term in exclude:
        problems.check(_check_term, path, section, term)
    terms_table = table["terms"]
    if not isinstance(terms_table, dict):
        problems.errors.append(TopicConfigError(path, section, "terms must be a table of language = [terms]"))
        problems.raise_any()
    listed_languages = languages if languages is not None else tuple(terms_table)
    unknown = sorted(terms_table.keys() - set(listed_languages))
    if unknown:
        problems.errors.append(
            TopicConfigError(path, section, f"terms for unlisted language(s): {', '.join(unknown)}")
        )
    terms: dict[str, tuple[str, ...]] = {}
    for language in listed_languages:
        listed = terms_table.get(language)
        listed = problems.check(_string_list, path, section, listed, f"terms.{language}") if listed else None
        if listed is None:
            if language not in terms_table or not terms_table[language]:
                problems.errors.append(TopicConfigError(path, section, f"no terms for language {language!r}"))
            continue
        for term in listed:
            problems.check(_check_term, path, section, term)
        terms[language] = listed
    problems.raise_any()
    return TermGroup(name=name, weight=weight, terms=terms, exclude=exclude)


def _scoring(path: Path, table: Any, defined: set[str], groups: dict[str, TermGroup] | None) -> Scoring:
    """`defined`: the group names the file declares; `groups`: the valid groups, or None when some are not
    (then the reachable-score check waits for them to be fixed)."""
    section = "scoring"
    numbers = {"threshold", "title_weight", "lead_weight", "body_weight", "lead_chars", "saturation"}
    _check_keys(
        path,
        section,
        table,
        required={"required", "threshold"} | numbers,
        optional=frozenset({"any_of", "min_body_share"}),
    )
    problems = _Problems()
    required = problems.check(_string_list, path, section, table["required"], "required") or ()
    any_of = problems.check(_string_list, path, section, table.get("any_of", []), "any_of") or ()
    for key, names in (("required", required), ("any_of", any_of)):
        for name in names:
            if name not in defined:
                problems.errors.append(
                    TopicConfigError(path, f"groups.{name}", f"listed in scoring.{key} but not defined")
                )
    lead_chars = table["lead_chars"]
    if isinstance(lead_chars, bool) or not isinstance(lead_chars, int) or lead_chars < 0:
        problems.errors.append(
            TopicConfigError(path, section, f"lead_chars must be a whole number >= 0, got {lead_chars!r}")
        )
    threshold = problems.check(_number, path, section, table, "threshold", positive=False)
    if threshold is not None and groups is not None:
        reachable = sum(g.weight for g in groups.values())
        if threshold > reachable:
            problems.errors.append(
                TopicConfigError(
                    path, section, f"threshold {threshold} is above the highest reachable score {reachable}"
                )
            )
    weights = {
        key: problems.check(_number, path, section, table, key, positive=key == "saturation")
        for key in ("title_weight", "lead_weight", "body_weight", "saturation")
    }
    share = problems.check(_share, path, section, table)
    problems.raise_any()
    return Scoring(
        required=required,
        any_of=any_of,
        threshold=threshold,
        lead_chars=lead_chars,
        min_body_share=share,
        **weights,
    )


def _share(path: Path, section: str, table: dict[str, Any]) -> float:
    if "min_body_share" not in table:
        return 0.25
    value = _number(path, section, table, "min_body_share", positive=False)
    if value > 1:
        raise TopicConfigError(path, section, f"min_body_share must be between 0 and 1, got {value!r}")
    return value


def _queries(
    path: Path, value: Any, languages: tuple[str, ...] | None
) -> tuple[dict[str, str], dict[str, dict[str, str]], dict[str, str]]:
    if not isinstance(value, dict):
        raise TopicConfigError(path, "queries", "must be a table of [queries.LANGUAGE]")
    problems = _Problems()
    listed = languages if languages is not None else tuple(value)
    unknown = sorted(value.keys() - set(listed))
    if unknown:
        problems.errors.append(
            TopicConfigError(path, "queries", f"queries for unlisted language(s): {', '.join(unknown)}")
        )
    queries: dict[str, str] = {}
    gnews: dict[str, dict[str, str]] = {}
    sourcelang: dict[str, str] = {}
    for language in listed:
        section = f"queries.{language}"
        if language not in value:
            problems.errors.append(
                TopicConfigError(path, section, "missing: every listed language needs a query")
            )
            continue
        found = problems.check(_query, path, section, value[language])
        if found is not None:
            queries[language], gnews[language], lang = found
            if lang:
                sourcelang[language] = lang
    problems.raise_any()
    return queries, gnews, sourcelang


def _query(path: Path, section: str, table: Any) -> tuple[str, dict[str, str], str | None]:
    _check_keys(path, section, table, required={"q", "hl", "gl", "ceid"}, optional=frozenset({"sourcelang"}))
    problems = _Problems()
    q = problems.check(_string, path, section, table, "q")
    gnews = {key: problems.check(_string, path, section, table, key) for key in ("hl", "gl", "ceid")}
    lang = problems.check(_string, path, section, table, "sourcelang") if "sourcelang" in table else None
    problems.raise_any()
    return q, gnews, lang
