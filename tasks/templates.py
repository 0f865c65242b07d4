"""Site templates: lines a site repeats on its own pages that no boilerplate rule knows, learned from stored pages.

The learning rule, per site (thresholds are TemplateSettings fields):

- Pages are distinct URLs; lines are compared by ``line_key`` (NFKC, casefold, collapsed spaces; digits kept),
  and a line repeated within one page counts once for it. Blank lines never count.
- A line does not count for a page when it is that page's title, or among the page's first ``lead_lines``
  non-blank lines: the headline and lead of a story are its content, however often a site reuses them.
- A template line is at most ``max_line_chars`` long as seen (surrounding spaces aside). It is counted on at
  least ``min_pages`` pages spread over at least ``min_days`` distinct publication days (one busy day of
  near-identical pages proves nothing), and it repeats across different stories: it is counted on both on-topic
  and off-topic pages of the site, or on at least ``min_share`` of all the site's pages and at least
  ``min_share_pages`` of them. The share route is what decides for sites where we see few off-topic pages; a line
  that frequent is chrome, not a story.

Why the topic split: sites repeat background paragraphs across months of coverage of one story ("The treaty,
signed in Pyongyang in June, obliges each side to ..."). Such a paragraph is on many on-topic pages on many days
but not on the site's off-topic pages, so it is content and stays; a newsletter plug or a funding disclaimer is
on every kind of page.

The result depends only on the set of pages: when a URL is seen twice, one deterministic copy is used, and
the example of a learned line is its smallest spelling among the pages.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields
from datetime import date
from itertools import chain
from typing import Any

from tasks.models import CleanResult, Removal

__all__ = ["PageLines", "TemplateSettings", "apply_templates", "learn_templates", "line_key"]

_KEY_HEX_CHARS = 16  # 64 bits: no collision in any site's few million distinct lines


@dataclass(frozen=True)
class TemplateSettings:
    """Thresholds of the learning rule (see the module docstring)."""

    min_pages: int = 3
    min_days: int = 2
    min_share: float = 0.9
    min_share_pages: int = 5
    max_line_chars: int = 400
    lead_lines: int = 2

    def __post_init__(self) -> None:
        for spec in fields(self):
            value = getattr(self, spec.name)
            if spec.name == "min_share":
                if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value <= 1:
                    raise ValueError(f"min_share must be a number in (0, 1], got {value!r}")
                continue
            lowest = 0 if spec.name == "lead_lines" else 1
            if isinstance(value, bool) or not isinstance(value, int) or value < lowest:
                raise ValueError(f"{spec.name} must be an integer >= {lowest}, got {value!r}")

    @classmethod
    def from_dict(cls, values: Mapping[str, Any]) -> TemplateSettings:
        """Settings from config data; missing keys keep their defaults, unknown keys are refused."""
        known = {spec.name for spec in fields(cls)}
        unknown = sorted(set(values) - known)
        if unknown:
            raise ValueError(f"unknown template setting {unknown[0]!r}; known: {', '.join(sorted(known))}")
        return cls(**values)


@dataclass(frozen=True)
class PageLines:
    """One stored page: its text lines after rule cleaning, its UTC publication day, whether it was on-topic."""

    site: str
    url: str
    day: date
    relevant: bool
    title: str | None
    lines: tuple[str, ...]


def _normalise(line: str) -> str:
    folded = unicodedata.normalize("NFKC", line).casefold()
    # Splitting every line dominates learning time; most lines have no space to collapse. Whitespace
    # other than " " is not printable, so this test is exactly "split/join would change nothing".
    if folded.isprintable() and "  " not in folded and folded[:1] != " " and folded[-1:] != " ":
        return folded
    return " ".join(folded.split())


def _key_of_normalised(normalised: str) -> str:
    return hashlib.sha1(normalised.encode("utf-8")).hexdigest()[:_KEY_HEX_CHARS]


def line_key(line: str) -> str:
    """Short sha1 of the line's comparable form: NFKC, casefolded, whitespace collapsed, digits kept."""
    return _key_of_normalised(_normalise(line))


@dataclass(slots=True)
class _LineStats:
    """What one site's pages say about one normalised line."""

    example: str
    pages: int = 0
    days: set[date] = field(default_factory=set)
    relevance: set[bool] = field(default_factory=set)  # {True, False}: seen on- and off-topic


def _page_order(page: PageLines) -> tuple[Any, ...]:
    return (page.day, page.relevant, page.title or "", page.lines)


def _distinct_pages(pages: Iterable[PageLines]) -> dict[str, dict[str, PageLines]]:
    """site -> url -> page; of two copies of a URL the larger by _page_order wins, whatever the input order."""
    by_site: dict[str, dict[str, PageLines]] = {}
    for page in pages:
        site_pages = by_site.setdefault(page.site, {})
        seen = site_pages.get(page.url)
        if seen is None or _page_order(page) > _page_order(seen):
            site_pages[page.url] = page
    return by_site


def _counted_lines(page: PageLines, settings: TemplateSettings) -> dict[str, str]:
    """normalised line -> its spelling, for the lines that count on this page."""
    limit = settings.max_line_chars
    counted: dict[str, str] = {}
    lead: list[str] = []
    for line in page.lines:
        normalised: str | None = None
        # Long lines are measured as seen and never normalised: they are most of a page's text.
        if len(line) <= limit or len(line.strip()) <= limit:
            normalised = _normalise(line)
            if not normalised:
                continue
        if len(lead) < settings.lead_lines:
            lead.append(normalised or "")  # a long lead line is not counted anyway
        elif normalised is not None:
            counted[normalised] = line
    for line in (_normalise(page.title or ""), *lead):
        counted.pop(line, None)
    return counted


def _site_stats(pages: Iterable[PageLines], settings: TemplateSettings) -> dict[str, _LineStats]:
    """Stats of the lines counted on at least min_pages pages; most lines are story text seen once."""
    counted_by_page = [(page, _counted_lines(page, settings)) for page in pages]
    page_counts = Counter(chain.from_iterable(counted for _, counted in counted_by_page))
    frequent = {line for line, count in page_counts.items() if count >= settings.min_pages}
    stats: dict[str, _LineStats] = {}
    for page, counted in counted_by_page:
        for normalised in counted.keys() & frequent:
            spelling = counted[normalised].strip()
            line_stats = stats.get(normalised)
            if line_stats is None:
                line_stats = stats[normalised] = _LineStats(spelling)
            elif spelling < line_stats.example:
                line_stats.example = spelling
            line_stats.pages += 1
            line_stats.days.add(page.day)
            line_stats.relevance.add(page.relevant)
    return stats


def _is_template(line_stats: _LineStats, site_pages: int, settings: TemplateSettings) -> bool:
    if line_stats.pages < settings.min_pages or len(line_stats.days) < settings.min_days:
        return False
    if len(line_stats.relevance) == 2:
        return True
    # A ratio, not pages >= share * total: 0.7 * 10 is 7.000000000000001 in floats, 7 / 10 is 0.7.
    return (
        line_stats.pages >= settings.min_share_pages and line_stats.pages / site_pages >= settings.min_share
    )


def learn_templates(pages: Iterable[PageLines], settings: TemplateSettings) -> dict[str, dict[str, str]]:
    """site -> {line_key: an example of the line as seen} for the template lines of each site.

    Sites without template lines are absent. The same set of pages in any order gives the same result.
    """
    learned: dict[str, dict[str, str]] = {}
    for site, site_pages in sorted(_distinct_pages(pages).items()):
        stats = _site_stats(site_pages.values(), settings)
        keys = {
            _key_of_normalised(normalised): line_stats.example
            for normalised, line_stats in stats.items()
            if _is_template(line_stats, len(site_pages), settings)
        }
        if keys:
            learned[site] = dict(sorted(keys.items()))
    return learned


def apply_templates(
    text: str,
    title: str | None,
    template_keys: Mapping[str, str] | set[str],
    version: int,
    lead_lines: int = 2,
) -> CleanResult:
    """``text`` without its site's template lines, sparing the title and the first ``lead_lines`` non-blank lines.

    Each removal records its line's index in ``text`` and the rule ``site-template:v<version>``, so an article
    can be traced to the template version that cleaned it.
    """
    if not template_keys:
        return CleanResult(text=text)
    rule = f"site-template:v{version}"
    title_normalised = _normalise(title) if title else None
    kept: list[str] = []
    removed: list[Removal] = []
    lead_left = max(lead_lines, 0)
    for position, line in enumerate(text.split("\n")):
        normalised = _normalise(line)
        if normalised:
            if lead_left:
                lead_left -= 1
            elif normalised != title_normalised and _key_of_normalised(normalised) in template_keys:
                removed.append(Removal(snippet=line.strip(), rule=rule, position=position))
                continue
        kept.append(line)
    return CleanResult(text="\n".join(kept), removed=removed)


def counted_line_keys(page: PageLines, settings: TemplateSettings) -> dict[str, str]:
    """line_key -> spelling (stripped) of the lines this page counts for its site's learning.

    What the incremental learner (tasks/repos/templates.py) keeps per page; `learn_templates` over the same
    pages gives the same result.
    """
    return {_key_of_normalised(n): spelling.strip() for n, spelling in _counted_lines(page, settings).items()}
