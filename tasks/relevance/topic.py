"""The topic as data (`config/topics.toml`): its term groups, scoring settings and news-search queries per
language, read and validated by `load_topic` (every problem of the file reported at once, one line each)."""

from __future__ import annotations

import hashlib
import math
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tasks.relevance.terms import MIN_STEM, GroupMatcher, TermGroup, base_language, compile_groups, is_cjk

DEFAULT_TOPIC_PATH = Path(__file__).resolve().parent.parent.parent / "config" / "topics.toml"


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
    # A title naming one country, its first paragraph not the other: the paragraphs naming both must also name a
    # term of one of these groups that the title does not use, in min_body_share of the text (score.py).
    ties: tuple[str, ...] = ()
    # Groups naming other countries, found but never scored: a title naming both countries and one of these frames a
    # bloc, and only paragraphs naming the pair without them count for it.
    frame: tuple[str, ...] = ()


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
    _matchers: dict[str | None, tuple[GroupMatcher, ...]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def matchers_for(self, language: str | None) -> tuple[GroupMatcher, ...]:
        key = base_language(language)
        if key not in self.languages:
            key = None
        compiled = self._matchers.get(key)
        if compiled is None:
            if key is None:
                chosen = self.languages
            else:
                # English terms too: English names and wire copy turn up in every edition.
                chosen = (key, "en") if "en" in self.languages and key != "en" else (key,)
            compiled = self._matchers[key] = compile_groups(self.groups, chosen)
        return compiled


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
        if base_language(language) != language:
            problems.errors.append(
                TopicConfigError(
                    path, "languages", f"{language!r}: use a lower-case base code such as 'en', 'zh'"
                )
            )
    problems.raise_any()
    return languages


def _check_term(path: Path, section: str, term: str) -> None:
    if is_cjk(term):
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
    if len(words) == 1 and words[0].endswith("*") and len(words[0]) - 1 < MIN_STEM:
        raise TopicConfigError(path, section, f"term {term!r}: a stem needs at least {MIN_STEM} letters")


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
    _check_keys(path, section, table, required={"terms"}, optional=frozenset({"weight", "exclude", "short"}))
    problems = _Problems()
    weight = (
        problems.check(_number, path, section, table, "weight", positive=True) if "weight" in table else 1.0
    )
    exclude = problems.check(_string_list, path, section, table.get("exclude", []), "exclude") or ()
    short = problems.check(_string_list, path, section, table.get("short", []), "short") or ()
    for term in exclude + short:
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
    return TermGroup(name=name, weight=weight, terms=terms, exclude=exclude, short=short)


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
        optional=frozenset({"any_of", "min_body_share", "ties", "frame"}),
    )
    problems = _Problems()
    required = problems.check(_string_list, path, section, table["required"], "required") or ()
    any_of = problems.check(_string_list, path, section, table.get("any_of", []), "any_of") or ()
    ties = problems.check(_string_list, path, section, table.get("ties", []), "ties") or ()
    frame = problems.check(_string_list, path, section, table.get("frame", []), "frame") or ()
    for name in sorted(set(frame) & (set(required) | set(any_of) | set(ties))):
        problems.errors.append(
            TopicConfigError(
                path, f"groups.{name}", "a frame group is never scored: it cannot be required or a tie"
            )
        )
    for key, names in (("required", required), ("any_of", any_of), ("ties", ties), ("frame", frame)):
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
        reachable = sum(g.weight for name, g in groups.items() if name not in frame)
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
        ties=ties,
        frame=frame,
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
