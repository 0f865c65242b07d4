"""Discovery by time window: a backfill's windows, and the nightly's search pass over the last day.

Search and history sources (tasks.sources) answer for a window themselves; feeds and sitemaps list what they
list today, so they are read once per backfill and their items are kept by publication time. The nightly reads
the feeds and sitemaps (tasks.stages.discover_task) and then asks every search source that takes part
(`tasks.sources.nightly.in_nightly`) for the last `[nightly] search_days`, from where the previous nightly got to.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from prefect import get_run_logger, task
from prefect.cache_policies import NO_CACHE

from tasks import clock, progress
from tasks.candidates import add_to_frontier
from tasks.config import Settings
from tasks.models import Candidate, Source
from tasks.relevance.topic import Topic
from tasks.repos import sources as source_repo
from tasks.sources import open_source, windowed
from tasks.sources.nightly import in_nightly, nightly_window, search_languages
from tasks.sources.service import ServiceFetcher
from tasks.sources.state import SourceState
from tasks.sources.window import Window
from tasks.stages import canonical_candidates, fetch_policy, host_delays
from tasks.store import Store


@dataclass
class WindowFound:
    candidates: list[Candidate] = field(default_factory=list)
    per_source: Counter = field(default_factory=Counter)
    requests: int = 0
    notes: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)  # source -> first error: window unfinished


def wanted_language(candidate: Candidate, languages: set[str] | None) -> bool:
    """Candidates of an unknown language are kept: extraction tells their language later."""
    return not languages or candidate.language is None or candidate.language[:2] in languages


def search_window(
    sources: list[Source],
    window: Window,
    topic: Topic,
    languages: set[str] | None,
    fetch: ServiceFetcher,
    *,
    now: datetime,
    states: dict[str, SourceState],
    opened: dict[str, Any] | None = None,
) -> WindowFound:
    """Stream each source's candidates for `window`; each source keeps its progress in `states[name]`.

    `opened` gives source objects already opened (by name), e.g. narrowed to one language.
    """
    found = WindowFound()
    for source in sources:
        state = states.setdefault(source.name, SourceState())
        requests, notes, errors = state.requests, len(state.notes), len(state.errors)
        stream = (opened or {}).get(source.name) or open_source(source, topic, languages)
        for candidate in stream.stream(window, fetch, state, now=now):
            if wanted_language(candidate, languages):
                found.candidates.append(candidate)
                found.per_source[source.name] += 1
        found.requests += state.requests - requests
        found.notes += [f"{source.name}: {n}" for n in state.notes[notes:]]
        found.errors += [f"{source.name}: {e}" for e in state.errors[errors:]]
        if state.errors[errors:]:
            found.failed.setdefault(source.name, str(state.errors[errors]))
    return found


@task(name="read-feeds", cache_policy=NO_CACHE)
def read_feeds_task(sources: list[Source], settings: Settings) -> tuple[list[Candidate], dict[str, str]]:
    """Feeds and sitemaps once per backfill: their items are then kept window by window by publication time.
    Returns the items and the sources that failed (name -> error)."""
    candidates: list[Candidate] = []
    policy = fetch_policy(settings, host_delays(sources))
    failed: dict[str, str] = {}
    with ServiceFetcher(policy, max_bytes=settings.fetch.service_max_bytes) as http:
        for source in sources:
            state = SourceState()  # no validators: a backfill wants the whole listing
            candidates += open_source(source).stream(None, http, state, now=clock.now())
            if state.error:
                get_run_logger().warning("source %s failed: %s", source.name, state.error)
                failed[source.name] = str(state.error)
    return candidates, failed


@task(name="search-window", cache_policy=NO_CACHE)
def search_window_task(
    sources: list[Source],
    feed_items: list[Candidate],
    window: Window,
    topic: Topic,
    languages: list[str] | None,
    settings: Settings,
    store: Store,
    run_id: str,
    dry_run: bool,
) -> dict:
    """Discover one window from every selected source; add the new URLs to the frontier (unless a dry run)."""
    logger = get_run_logger()
    wanted = set(languages) if languages else None
    searchers = [s for s in sources if windowed(s)]
    policy = fetch_policy(settings, host_delays(sources))
    with store.connect() as con:
        states = source_repo.load_states(con, searchers, window.start, window.end)
    with ServiceFetcher(policy, max_bytes=settings.fetch.service_max_bytes) as fetch:
        found = search_window(searchers, window, topic, wanted, fetch, now=clock.now(), states=states)
    if not dry_run:
        with store.connect() as con:
            source_repo.save_states(con, states, run_id, clock.now())
    for item in feed_items:
        if item.published is not None and window.contains(item.published) and wanted_language(item, wanted):
            found.candidates.append(item)
            found.per_source[item.source] += 1
    kept, drops, pairs = canonical_candidates(found.candidates)
    urls = [c.url for c in kept]
    if dry_run:
        new = len(urls) - len(store.known_urls(urls))
    else:
        new = store.add_candidates(kept, run_id, clock.now())
        store.record_url_sources(pairs, clock.now())
    for message in found.errors:
        logger.warning("%s", message)
    logger.info(
        "window %s..%s: %d candidates (%d new) from %s",
        window.start.date(),
        window.end.date(),
        len(urls),
        new,
        dict(found.per_source),
    )
    return {
        "urls": urls,
        "new_urls": new,
        "per_source": dict(found.per_source),
        "requests": found.requests,
        "errors": found.errors,
        "failed": dict(found.failed),
        "notes": found.notes,
        "drops": dict(drops),
    }


@task(name="search-pass", cache_policy=NO_CACHE)
def search_pass_task(
    sources: list[Source], topic: Topic, settings: Settings, store: Store, run_id: str
) -> dict:
    """The nightly's search pass: each search source that takes part is asked for the last
    `[nightly] search_days` (from the end of the window it last answered, when that is later), in every
    language it has a query for; new URLs join the frontier and every source that found a URL is recorded.

    Each window starts `[nightly] search_overlap_hours` before the mark, for items indexed late; URLs already
    known add no rows. A source asked per language keeps a mark per language (`search_marks`): a language
    whose query fails keeps its mark, so the next nightly asks it its window again while the other languages
    ask only what is new; the source's own mark moves when every language answered. Errors are returned
    under `failed` (and, when the source found nothing at all, under `unreachable`).
    """
    logger = get_run_logger()
    searchers = [s for s in sources if in_nightly(s)]
    if not searchers:
        return {"links": 0, "distinct": 0, "new_urls": 0, "requests": 0, "per_source": {}, "windows": {},
                "asked": [], "failed": {}, "unreachable": {}, "notes": [], "drops": {}}  # fmt: skip
    now = clock.now()
    length = timedelta(days=settings.nightly.search_days)
    overlap = timedelta(hours=settings.nightly.search_overlap_hours)
    with store.connect() as con:
        states = source_repo.load_states(con, searchers, now - length, now)
    found = WindowFound()
    windows: dict[str, str] = {}
    progress.start("search", len(searchers))
    policy = fetch_policy(settings, host_delays(sources))
    with ServiceFetcher(policy, max_bytes=settings.fetch.service_max_bytes) as fetch:
        for source in searchers:
            state = states[source.name]
            opened = open_source(source, topic)
            languages = search_languages(source, opened)
            # a source asked per language keeps a mark per language: one that failed is asked its window
            # again next time, the others only what is new (`search_marks`)
            parts: list[str | None] = list(languages) if languages else [None]
            answered = True
            for language in parts:
                mark = state.searched_until
                if language is not None:
                    mark = state.language_marks.get(language, state.searched_until)
                window = nightly_window(source, now, length, mark, overlap)
                label = source.name if language is None else f"{source.name} {language}"
                if window is None:
                    found.notes.append(f"{label}: nothing new since {mark:%Y-%m-%d %H:%M}Z")
                    continue
                windows[label] = str(window)
                one = search_window(
                    [source], window, topic, None, fetch, now=now, states=states,
                    opened={source.name: opened if language is None else opened.narrowed([language])},
                )  # fmt: skip
                found.candidates += one.candidates
                found.per_source.update(one.per_source)
                found.requests += one.requests
                found.notes += one.notes
                found.errors += one.errors
                state.checked = True
                if source.name in one.failed:
                    answered = False
                    found.failed.setdefault(source.name, one.failed[source.name])
                    state.error = state.error or one.failed[source.name]
                    logger.warning("search source %s failed: %s", label, one.failed[source.name])
                elif language is not None:
                    state.searched_to_languages[language] = window.end
            if answered and state.checked:
                state.searched_to = now
            progress.advance("search")
    with store.connect() as con:
        source_repo.save_states(con, states, run_id, now)
    kept, drops, new = add_to_frontier(store, found.candidates, run_id, now)
    logger.info(
        "search pass: %d links from %d sources (%d distinct, %d new): %s",
        len(found.candidates),
        len({label.split(" ")[0] for label in windows}),
        len(kept),
        new,
        dict(found.per_source),
    )
    return {
        "links": len(found.candidates),
        "distinct": len(kept),
        "new_urls": new,
        "requests": found.requests,
        "per_source": dict(found.per_source),
        "windows": windows,
        "asked": [s.name for s in searchers],
        "failed": dict(found.failed),
        "unreachable": {n: e for n, e in found.failed.items() if not found.per_source.get(n)},
        "notes": found.notes,
        "drops": dict(drops),
    }
