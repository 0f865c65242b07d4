"""Pairwise precision/recall of duplicate groups and stories on a story set with its ground truth.

    uv run python bench/stories.py [--set development|holdout] [--store] [--json] [-v]

`--set development` (the default) is simweb/storyset.py, written while building the linking rules;
`--set holdout` is simweb/storyset_holdout.py, written apart from them (12 events, 9 languages, 79 pages).
`--store`: the pages go one at a time (first published first) through a temporary database instead of one
in-memory batch: each is decided against the candidates its stored keys find (tasks/repos/dedupe.py) and
loaded, so every link is found through `dedupe_keys`, as in the nightly flow across batches.

Pairs per relation: exact (same text), near (edited reprint of the same article), translation (the same
article in another language), same story (any two pages of one event). A pair counts as found when the
pipeline puts both pages in one group (exact, near) or one story (translation, same story). "Merges of
distinct events" counts predicted stories holding pages of more than one event.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from simweb import storyset, storyset_holdout  # noqa: E402
from tasks.linking import SavedPage, link_pages  # noqa: E402

SETS = {"development": storyset.pages, "holdout": storyset_holdout.pages}


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Pairwise precision/recall of duplicate groups and stories.")
    parser.add_argument("--set", choices=SETS, default="development", help="which story set to score")
    parser.add_argument("--json", action="store_true", help="print the figures as one JSON line")
    parser.add_argument("-v", action="store_true", help="also print every page's truth and result")
    parser.add_argument(
        "--store", action="store_true", help="one page per batch through a temporary database's keyed lookup"
    )
    return parser.parse_args(argv)


def through_store(pages: list[SavedPage]) -> list[dict]:
    """`link_pages`'s results, each page decided alone against what its stored keys find, then loaded."""
    from tasks import clock
    from tasks.clean import load_rules
    from tasks.models import RawPage
    from tasks.process import _decision_order, analyse, decide, pipeline_version
    from tasks.relevance.topic import load_topic
    from tasks.repos import dedupe as dedupe_repo
    from tasks.repos import stories as story_repo
    from tasks.store import Store

    topic, rules = load_topic(), load_rules()
    now = clock.now()
    analysed = [analyse(RawPage(p.url, p.url, p.html, now), topic, rules) for p in pages]
    outcomes = {}
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "stories.duckdb")
        store.migrate()
        for item in sorted(analysed, key=_decision_order):
            with store.connect() as con:
                index = dedupe_repo.index_for(con, [item])
            (outcome,) = decide([item], index, pipeline_version(rules))
            store.load([outcome], "bench", now)
            outcomes[item.raw.url] = outcome
        results = []
        with store.connect() as con:
            for page, item in zip(pages, analysed, strict=True):
                outcome = outcomes[item.raw.url]
                row = con.execute(
                    "SELECT story_id FROM story_articles WHERE url = ?", [item.raw.url]
                ).fetchone()
                results.append(
                    {
                        "path": page.path,
                        "relevant": item.relevance.relevant,
                        "status": outcome.status,
                        "group": outcome.article_id,
                        "story": story_repo.resolve(con, row[0]) if row else None,
                        "relation": outcome.story.relation if outcome.story else None,
                        "evidence": outcome.story.evidence if outcome.story else None,
                    }
                )
    return results


def truth_pairs(truth) -> dict[str, set[frozenset[int]]]:
    pairs = {"exact": set(), "near": set(), "translation": set(), "same story": set()}
    for (i, a), (j, b) in itertools.combinations(enumerate(truth), 2):
        pair = frozenset((i, j))
        if a.event != b.event:
            continue
        pairs["same story"].add(pair)
        if a.group == b.group:
            kinds = {a.relation, b.relation}
            pairs["near" if "near" in kinds else "exact"].add(pair)
        elif a.language != b.language and "report" not in (a.relation, b.relation):
            pairs["translation"].add(pair)
    return pairs


def main() -> None:
    args = parse_args()
    name = args.set
    truth = SETS[name]()
    started = time.perf_counter()
    pages = [SavedPage(p.path, p.url, p.html) for p in truth]
    results = through_store(pages) if args.store else link_pages(pages)
    seconds = time.perf_counter() - started
    group = {i: r["group"] for i, r in enumerate(results)}
    story = {i: r["story"] for i, r in enumerate(results)}
    figures = {}
    for relation, pairs in truth_pairs(truth).items():
        same = story if relation in ("translation", "same story") else group
        found = {p for p in pairs if len({same[i] for i in p}) == 1 and None not in {same[i] for i in p}}
        figures[relation] = {
            "pairs": len(pairs),
            "recall": round(len(found) / len(pairs), 3) if pairs else None,
        }
    predicted_group_pairs = {
        frozenset((i, j))
        for i, j in itertools.combinations(range(len(truth)), 2)
        if group[i] and group[i] == group[j]
    }
    true_group_pairs = {
        frozenset((i, j))
        for i, j in itertools.combinations(range(len(truth)), 2)
        if truth[i].group == truth[j].group
    }
    predicted_story_pairs = {
        frozenset((i, j))
        for i, j in itertools.combinations(range(len(truth)), 2)
        if story[i] and story[i] == story[j]
    }
    true_story_pairs = truth_pairs(truth)["same story"]
    merges = sum(
        1 for s in set(story.values()) if s and len({truth[i].event for i in story if story[i] == s}) > 1
    )
    out = {
        "set": name,
        "pages": len(truth),
        "relevant": sum(r["relevant"] for r in results),
        "relations": figures,
        "group precision": round(
            len(predicted_group_pairs & true_group_pairs) / max(1, len(predicted_group_pairs)), 3
        ),
        "story precision": round(
            len(predicted_story_pairs & true_story_pairs) / max(1, len(predicted_story_pairs)), 3
        ),
        "merges of distinct events": merges,
        "ms per page": round(1000 * seconds / len(truth), 1),
    }
    if args.json:
        print(json.dumps(out))
        return
    print(
        f"{name} set{' through the store' if args.store else ''}: pages {out['pages']} (relevant {out['relevant']}), {out['ms per page']} ms per page"
    )
    for relation, f in figures.items():
        print(f"  {relation:12s} pairs {f['pairs']:3d}  recall {f['recall']}")
    print(f"  group precision {out['group precision']}  story precision {out['story precision']}")
    print(f"  merges of distinct events: {merges}")
    if args.v:
        for p, r in zip(truth, results, strict=True):
            print(
                f"{p.path:45s} {p.event:10s} {p.relation:12s} -> {r['status']:10s} {r['relation']} {r['group']} {r['story']} {r['evidence']}"
            )


if __name__ == "__main__":
    main()
