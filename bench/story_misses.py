"""Why pages of one story end up apart: every missed same-story pair of a story set, classified by cause.

    uv run python bench/story_misses.py [--set development|holdout] [-v]

For each pair of pages of one event that the pipeline puts in different stories, the pair's fingerprints are
judged directly (tasks/stories.py: judge) and the first rule that refuses them names the class:

- `not relevant`: one page never became an article (relevance);
- `linked pairwise`: judge links the two, they are apart only through which candidates were compared;
- `one-sided event name`: an event name only one side states;
- `no shared name`: neither an event name nor a person both state (reports need one);
- `too few numbers`: fewer than two shared distinctive numbers (or one with an event name);
- `numbers disagree`: more than one distinctive number on a side the other lacks;
- `number overlap`: a translation whose shared or stated numbers overlap too little;
- `time window`: published further apart than the window allows;
- `other`.

Prints counts per class (and, with -v, each pair's class with the two pages' paths). For finding classes of
error, not for tuning to particular pages.
"""

from __future__ import annotations

import argparse
import itertools
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.stories import SETS  # noqa: E402
from tasks import clock  # noqa: E402
from tasks.clean import load_rules  # noqa: E402
from tasks.dedupe import containment, shingles  # noqa: E402
from tasks.linking import SavedPage, link_pages  # noqa: E402
from tasks.models import RawPage  # noqa: E402
from tasks.process import _published_key, analyse  # noqa: E402
from tasks.relevance.topic import load_topic  # noqa: E402
from tasks.stories import _hours_apart, conflicts, default_config, events_differ, fingerprint, judge  # noqa: E402

CLASSES = (
    "not relevant",
    "linked pairwise",
    "one-sided event name",
    "no shared name",
    "too few numbers",
    "numbers disagree",
    "number overlap",
    "time window",
    "other",
)


def classify(a, b, contained, config) -> str:
    if judge(a, b, containment=contained, config=config) or judge(b, a, containment=contained, config=config):
        return "linked pairwise"
    diff = conflicts(a, b)
    if events_differ(a, b):
        return "one-sided event name"
    shared = a.numbers & b.numbers
    named = bool(a.entities)
    if not named and not (a.names & b.names):
        return "no shared name"
    sa, sb = set(a.all_numbers), set(b.all_numbers)
    stated = len(sa & sb) / max(1, len(sa | sb))
    if len(shared) < 2 and not (named and shared and stated >= 0.5):
        return "too few numbers"
    hours = _hours_apart(a.published, b.published)
    if a.language != b.language:
        overlap = len(shared) / max(1, min(len(a.numbers), len(b.numbers)))
        if overlap >= 0.8 and stated >= 0.6:
            return "time window"
    if len(diff["numbers_only_new"]) > 1 or len(diff["numbers_only_known"]) > 1:
        return "numbers disagree" if a.language == b.language else "number overlap"
    if hours is None or hours > config.report_hours:
        return "time window"
    return "other"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", choices=SETS, default="development")
    parser.add_argument("-v", action="store_true", help="print every missed pair")
    args = parser.parse_args()
    truth = SETS[args.set]()
    results = link_pages([SavedPage(p.path, p.url, p.html) for p in truth])
    topic, rules, config, now = load_topic(), load_rules(), default_config(), clock.now()
    fps, texts = {}, {}
    for i, p in enumerate(truth):
        item = analyse(RawPage(url=p.url, final_url=p.url, html=p.html, fetched_at=now), topic, rules)
        if item.relevance.relevant and item.text:
            fps[i] = fingerprint(
                item.page.title or "", item.text, item.language, _published_key(item), config
            )
            texts[i] = shingles(item.text)
    counts: Counter[str] = Counter()
    by_kind: dict[str, Counter[str]] = {"translation": Counter(), "report": Counter()}
    for i, j in itertools.combinations(range(len(truth)), 2):
        a, b = truth[i], truth[j]
        if a.event != b.event or (results[i]["story"] and results[i]["story"] == results[j]["story"]):
            continue
        if i not in fps or j not in fps:
            cls = "not relevant"
        else:
            same = fps[i].language == fps[j].language
            cls = classify(fps[i], fps[j], containment(texts[i], texts[j]) if same else None, config)
        counts[cls] += 1
        kind = "report" if "report" in (a.relation, b.relation) or a.language == b.language else "translation"
        by_kind[kind][cls] += 1
        if args.v:
            detail = ""
            if i in fps and j in fps:
                x, y = fps[i], fps[j]
                detail = (
                    f" events {sorted(x.entities ^ y.entities)} names {sorted(x.keyed_names & y.keyed_names)}"
                    f"/{sorted(x.keyed_names ^ y.keyed_names)} numbers {sorted(x.numbers & y.numbers)}"
                    f"/{sorted(x.numbers ^ y.numbers)}"
                )
            print(f"{cls:22s} {a.path} ~ {b.path}{detail}")
    total = sum(counts.values())
    print(f"{args.set} set: {total} same-story pairs missed")
    for cls in CLASSES:
        if counts[cls]:
            print(
                f"  {cls:22s} {counts[cls]:4d}   (translation-like {by_kind['translation'][cls]}, "
                f"report-like {by_kind['report'][cls]})"
            )


if __name__ == "__main__":
    main()
