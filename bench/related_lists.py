"""Related-list labels alone on their line, and the headlines the cleaner takes with them, on saved pages.

Runs what the pipeline runs (tasks.process.analyse: extract, identify, clean) on every page under the PATHs
(`*.html`, `*.htm`, `*.html.gz`) and prints, per page language, how many bare related labels were cut, how
many of them took headlines, and how many headline lines went (`<rule>+headline`). With `-v` every list is
printed (label, the lines taken, and the line that ended the list) for review by eye: the figures say how
often the rule fires, the listing whether what it took was a headline.

    uv run python bench/related_lists.py trafilatura/tests/cache trafilatura/tests/eval \\
        fundus/tests/resources/parser/test_data [-v]

The pages are read where they are (checkouts of adbar/trafilatura and flairNLP/fundus), never copied.
"""

from __future__ import annotations

import argparse
import gzip
import sys
import time
from collections import Counter, defaultdict
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tasks.clean import HEADLINES_SUFFIX, load_rules  # noqa: E402
from tasks.models import RawPage  # noqa: E402
from tasks.process import analyse  # noqa: E402
from tasks.relevance.topic import load_topic  # noqa: E402

NOW = datetime(2024, 11, 30, tzinfo=UTC)


def pages(paths: list[Path]):
    for root in paths:
        files = [root] if root.is_file() else sorted(root.rglob("*"))
        for path in files:
            name = path.name.lower()
            if name.endswith(".html.gz"):
                yield path, gzip.decompress(path.read_bytes()).decode("utf-8", errors="replace")
            elif name.endswith((".html", ".htm")):
                yield path, path.read_bytes().decode("utf-8", errors="replace")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+", type=Path)
    parser.add_argument("-v", "--verbose", action="store_true", help="print every list taken")
    args = parser.parse_args()
    topic, rules = load_topic(), load_rules()
    related = {r.id for r in rules.rules if r.category == "related"}
    per: dict[str, Counter] = defaultdict(Counter)
    started, n = time.perf_counter(), 0
    for path, html in pages(args.paths):
        n += 1
        try:
            done = analyse(RawPage(url=f"http://127.0.0.9/{path.name}", final_url=None, html=html, fetched_at=NOW), topic, rules, None)  # fmt: skip
        except Exception as exc:  # a page the pipeline quarantines: say so and go on
            print(f"{path}: {type(exc).__name__}: {exc}", file=sys.stderr)
            continue
        language = done.language or "und"
        counts = per[language]
        counts["pages"] += 1
        lines = done.page.text.split("\n") if done.page.text else []
        taken = {r.position: r for r in done.removed if r.rule.endswith(HEADLINES_SUFFIX)}
        labels = {r.position: r for r in done.removed if r.rule in related}
        counts["related lines cut"] += len(labels)
        # a list starts right after its label (blank lines aside): one run of taken lines per label
        starts = [p for p in sorted(taken) if not any(q in taken for q in range(p - 1, p - 3, -1))]
        counts["labels that took headlines"] += len(starts)
        counts["headline lines taken"] += len(taken)
        counts["pages with a list taken"] += bool(taken)
        if args.verbose and taken:
            print(f"== {path} [{language}]")
            for start in starts:
                label = max((p for p in labels if p < start), default=None)
                print(f"   LABEL  {labels[label].snippet if label is not None else '?'}")
                following = start
                while following < len(lines) and (following in taken or not lines[following].strip()):
                    if following in taken:
                        print(f"   TAKEN  {taken[following].snippet}")
                    following += 1
                if following < len(lines):
                    print(f"   KEPT   {lines[following][:120]}")
    seconds = time.perf_counter() - started
    columns = ["pages", "related lines cut", "labels that took headlines", "headline lines taken", "pages with a list taken"]  # fmt: skip
    print(f"{'language':8} " + " ".join(f"{c:>14.14}" for c in columns))
    total: Counter = Counter()
    for language in sorted(per, key=lambda lang: -per[lang]["pages"]):
        total.update(per[language])
        if any(per[language][c] for c in columns[1:]):
            print(f"{language:8} " + " ".join(f"{per[language][c]:>14}" for c in columns))
    print(f"{'all':8} " + " ".join(f"{total[c]:>14}" for c in columns))
    print(f"{n} pages in {seconds:.1f} s")


if __name__ == "__main__":
    main()
