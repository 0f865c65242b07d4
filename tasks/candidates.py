"""From discovered links to frontier candidates: canonical URLs, first sighting wins, every finder recorded."""

from __future__ import annotations

from collections import Counter

from tasks.canonical import canonical_url
from tasks.models import Candidate


def canonical_candidates(
    candidates: list[Candidate],
) -> tuple[list[Candidate], Counter, set[tuple[str, str]]]:
    """Canonicalise discovered URLs; first sighting of a URL wins.

    Returns the kept candidates, drops by reason, and every (URL, source) pair seen (which sources found what).
    """
    kept: dict[str, Candidate] = {}
    drops: Counter = Counter()
    pairs: set[tuple[str, str]] = set()
    for c in candidates:
        url = canonical_url(c.url)
        if url is None:
            drops["bad_url"] += 1
            continue
        pairs.add((url, c.source))
        if url in kept:
            drops["dup_url_in_run"] += 1
            continue
        c.url = url
        kept[url] = c
    return list(kept.values()), drops, pairs


def add_to_frontier(
    store, candidates: list[Candidate], run_id: str, now
) -> tuple[list[Candidate], Counter, int]:
    """Canonicalise `candidates`, add the new URLs to the frontier and record every source that found each URL.

    Returns the kept candidates, drops by reason and how many URLs were new.
    """
    kept, drops, pairs = canonical_candidates(candidates)
    new = store.add_candidates(kept, run_id, now)
    store.record_url_sources(pairs, now)
    return kept, drops, new
