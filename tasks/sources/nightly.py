"""What the nightly's search pass asks of each search source: whether it takes part (`in_nightly`), the window
from where its last answered window ended (`nightly_window`), and the languages it asks one query each for."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from tasks.models import Source
from tasks.sources import source_class, windowed
from tasks.sources.window import Window


def in_nightly(config: Source) -> bool:
    """True for a search source the nightly's search pass asks: its `nightly` setting, else its kind's default
    (Google News and GDELT DOC yes; GKG files and Wayback CDX, which are for history, no)."""
    if not windowed(config):
        return False
    if config.nightly is not None:
        return bool(config.nightly)
    return bool(source_class(config.kind).nightly)


def nightly_window(
    config: Source,
    now: datetime,
    length: timedelta,
    searched_until: datetime | None,
    overlap: timedelta = timedelta(0),
) -> Window | None:
    """The window the nightly asks a search source for: the last `length` before `now`, starting no earlier than
    `overlap` before where the previous nightly's answered window ended (so a second run the same day asks only
    what is new, plus the last hours again for items the service indexed late). None when nothing is left to ask.
    """
    start = now - length
    # a mark after `now` means the clock was moved back (a run against the simulated web): it is not used
    if searched_until is not None and searched_until <= now and source_class(config.kind).resumes_by_mark:
        if searched_until >= now:
            return None
        start = max(start, searched_until - overlap)
    return Window(start, now) if start < now else None


def search_languages(config: Source, opened: Any) -> list[str] | None:
    """The languages a search source asks one query each for (its own `language`, else those of the opened
    source: its `languages` option or the topic's), each keeping its own nightly mark; None for a source
    not asked per language."""
    if not getattr(type(opened), "takes_languages", False):
        return None
    if config.language:
        return [config.language]
    languages = getattr(opened, "languages", None)
    return list(languages) if languages else None
