"""Boilerplate rules: loading and validating the TOML files under config/boilerplate/.

Rules are data so that a new site phrase is a one-line change reviewed with its examples, not a code change.
Each file holds the rules of one language (its stem: ``id.toml``, ``ko.toml``) or ``common.toml`` for
language-neutral ones. Each ``[[rule]]`` table has:

- ``id``: ``<lang>.<class>.<name>``, e.g. ``id.related.baca-juga``; the id is what the audit table records.
- ``class``: one of CLASSES. ``scope``: ``line`` (the whole line goes when ``pattern`` matches anywhere in
  it, so anchor it or make it cover an unmistakable boilerplate sentence) or ``inline`` (only the match is
  cut; a line left without letters or digits goes too).
- ``pattern``: a Python regex. ``drop``/``keep``: boilerplate it must remove and real news it must leave;
  tests/test_clean_rules.py runs both for every rule.
- ``label`` (related rules only): the label alone, used to find insertions glued inside paragraphs.

Files are checked strictly at load time: a typo in a rule file must stop the run with a message naming
the file and the rule, not silently disable a rule.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Literal

DEFAULT_RULES_DIR = Path(__file__).resolve().parent.parent / "config" / "boilerplate"
COMMON = "common"
CLASSES = frozenset(
    {
        "related",
        "more_stories",
        "newsletter",
        "recaptcha",
        "privacy",
        "contact",
        "share",
        "follow",
        "ad",
        "photo_credit",
        "byline",
        "copyright",
        "comments",  # comment forms and counters ("Leave a Reply", "Votre adresse e-mail ne sera pas publiée.")
        "subscribe",  # subscribe-to-our-channel lines that are not newsletters ("Подписаться на …")
        "paywall",  # "this article is for subscribers only"
        "widget",  # visit counters and similar widget text
        "wiki",  # wiki markup left in copied text ("[编辑]")
        "date",  # a line that is only a date, time, "updated" stamp or reading time ("Stand: 22.04.2024, 06:00 Uhr")
        "navigation",  # skip links and page chrome alone on a line ("Hauptinhalt", "Article content")
        "sources",  # the label of the article's list of sources ("Quellen:", "Sources:"): the list goes with it
    }
)
SCOPES = frozenset({"line", "inline"})
# English boilerplate turns up on sites in every language, so it always applies alongside the page language.
ALWAYS_APPLIED = (COMMON, "en")

_REQUIRED_KEYS = ("id", "class", "pattern", "scope", "drop", "keep")
_OPTIONAL_KEYS = ("label",)
_ID = re.compile(r"(?P<language>[a-z]{2,3}|common)\.(?P<category>[a-z_]+)\.[a-z0-9]+(?:-[a-z0-9]+)*")
_FILE_STEM = re.compile(r"[a-z]{2,3}|common")

Scope = Literal["line", "inline"]


class RuleError(ValueError):
    """A rule file is malformed; the message names the file and the rule."""


@dataclass(frozen=True)
class Rule:
    """One boilerplate pattern with the examples that justify it.

    ``category`` is the TOML ``class`` (related, newsletter, ...). ``label`` is set on related-link rules
    whose label can also appear glued inside a content paragraph ("... said. Baca Juga: Headline").
    """

    id: str
    category: str
    language: str
    scope: Scope
    pattern: re.Pattern[str]
    drop: tuple[str, ...]
    keep: tuple[str, ...]
    label: re.Pattern[str] | None = None
    source: str = ""


@dataclass(frozen=True)
class RuleSet:
    """All loaded rules, with the per-language selection worked out once and remembered."""

    rules: tuple[Rule, ...]
    _selected: dict[str, tuple[Rule, ...]] = field(default_factory=dict, compare=False, repr=False)

    @property
    def languages(self) -> frozenset[str]:
        return frozenset(rule.language for rule in self.rules if rule.language != COMMON)

    def for_language(self, language: str | None) -> tuple[Rule, ...]:
        """The rules that apply to a page in ``language``, page-language rules first.

        An unknown or missing language gets every rule. A known one gets its own, the common and English
        rules, and the related-link rules of every language: translated and syndicated pages keep the
        labels of the site they came from, and those rules are anchored labels, cheap and low-risk.
        """
        key = normalise_language(language) or ""
        selected = self._selected.get(key)
        if selected is None:
            selected = self._select(key)
            self._selected[key] = selected
        return selected

    def _select(self, language: str) -> tuple[Rule, ...]:
        if language not in self.languages:
            chosen = list(self.rules)
        else:
            applied = {language, *ALWAYS_APPLIED}
            chosen = [r for r in self.rules if r.language in applied or r.category == "related"]
        order = {language: 0, COMMON: 1, "en": 2}
        return tuple(sorted(chosen, key=lambda rule: order.get(rule.language, 3)))


def normalise_language(language: str | None) -> str | None:
    """'id-ID', 'ZH_Hans' -> 'id', 'zh': rules are kept per primary language subtag."""
    if not language:
        return None
    return re.split(r"[-_]", language.strip(), maxsplit=1)[0].lower() or None


def load_rules(directory: Path | str | None = None) -> RuleSet:
    """Load and validate every ``*.toml`` rule file in ``directory`` (default: the repo's config)."""
    # The default path is already absolute: resolving it on every call would touch the disk each time.
    path = DEFAULT_RULES_DIR if directory is None else Path(directory).resolve()
    return _load_rules_cached(str(path))


@lru_cache(maxsize=8)
def _load_rules_cached(directory: str) -> RuleSet:
    files = sorted(Path(directory).glob("*.toml"))
    if not files:
        raise RuleError(f"{directory}: no *.toml rule files found")
    rules: list[Rule] = []
    problems: list[str] = []  # every file and rule checked, so all problems show in one pass
    seen: dict[str, str] = {}
    for path in files:
        try:
            loaded = _load_file(path)
        except RuleError as exc:
            problems.extend(str(exc).splitlines())
            continue
        for rule in loaded:
            if rule.id in seen:
                problems.append(f"{path}: duplicate rule id {rule.id!r} (first defined in {seen[rule.id]})")
                continue
            seen[rule.id] = str(path)
            rules.append(rule)
    if problems:
        raise RuleError("\n".join(problems))
    return RuleSet(tuple(rules))


def _load_file(path: Path) -> list[Rule]:
    if not _FILE_STEM.fullmatch(path.stem):
        raise RuleError(f"{path}: file name must be a language code or 'common' (e.g. id.toml)")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise RuleError(f"{path}: invalid TOML: {exc}") from exc
    unknown = set(data) - {"rule"}
    if unknown:
        raise RuleError(f"{path}: unknown top-level keys {sorted(unknown)}; rules go in [[rule]] tables")
    entries = data.get("rule", [])
    if not isinstance(entries, list) or not entries:
        raise RuleError(f"{path}: no [[rule]] tables")
    rules, problems = [], []
    for index, entry in enumerate(entries):
        try:
            rules.append(_parse_rule(path, index, entry))
        except RuleError as exc:
            problems.extend(str(exc).splitlines())
    if problems:
        raise RuleError("\n".join(problems))
    return rules


def _parse_rule(path: Path, index: int, entry: object) -> Rule:
    where = f"{path}: rule #{index + 1}"
    if not isinstance(entry, dict):
        raise RuleError(f"{where}: must be a table")
    if isinstance(entry.get("id"), str):
        where = f"{path}: rule {entry['id']!r}"
    problems: list[str] = []
    missing = [key for key in _REQUIRED_KEYS if key not in entry]
    if missing:
        problems.append(f"{where}: missing {', '.join(missing)}")
    unknown = set(entry) - set(_REQUIRED_KEYS) - set(_OPTIONAL_KEYS)
    if unknown:
        problems.append(f"{where}: unknown keys {sorted(unknown)}")
    if missing:
        raise RuleError("\n".join(problems))

    rule_id, category, scope = entry["id"], entry["class"], entry["scope"]
    match = _ID.fullmatch(rule_id) if isinstance(rule_id, str) else None
    if match is None:
        problems.append(f"{where}: id must look like '<lang>.<class>.<name>' (lowercase, name with dashes)")
    if category not in CLASSES:
        problems.append(f"{where}: unknown class {category!r}; expected one of {sorted(CLASSES)}")
    if match is not None and match["language"] != path.stem:
        problems.append(f"{where}: id starts with {match['language']!r} but the file is {path.name}")
    if match is not None and match["category"] != category:
        problems.append(f"{where}: id names class {match['category']!r} but class is {category!r}")
    if scope not in SCOPES:
        problems.append(f"{where}: unknown scope {scope!r}; expected 'line' or 'inline'")
    label = entry.get("label")
    if label is not None and category != "related":
        problems.append(f"{where}: only related rules take a label")
    parts = {}
    checks = {
        "pattern": lambda: _compile(where, "pattern", entry["pattern"]),
        "drop": lambda: _examples(where, "drop", entry["drop"]),
        "keep": lambda: _examples(where, "keep", entry["keep"]),
        "label": lambda: None if label is None else _compile(where, "label", label),
    }
    for key, check in checks.items():
        try:
            parts[key] = check()
        except RuleError as exc:
            problems.append(str(exc))
    if problems:
        raise RuleError("\n".join(problems))
    return Rule(
        id=rule_id,
        category=category,
        language=path.stem,
        scope=scope,
        source=str(path),
        **parts,
    )


def _compile(where: str, key: str, source: object) -> re.Pattern[str]:
    if not isinstance(source, str) or not source:
        raise RuleError(f"{where}: {key} must be a non-empty string")
    try:
        compiled = re.compile(source)
    except re.error as exc:
        raise RuleError(f"{where}: bad regex in {key}: {exc}") from exc
    # A pattern that can match nothing would "remove" empty spans forever and hide real mistakes.
    if compiled.search("") is not None:
        raise RuleError(f"{where}: {key} matches the empty string")
    return compiled


def _examples(where: str, key: str, examples: object) -> tuple[str, ...]:
    if not isinstance(examples, list) or not examples:
        raise RuleError(f"{where}: {key} needs at least one example")
    if not all(isinstance(example, str) and example.strip() for example in examples):
        raise RuleError(f"{where}: every {key} example must be a non-empty string")
    return tuple(examples)
