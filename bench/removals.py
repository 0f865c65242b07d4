"""Every line and span the cleaner removes from saved pages, one per row, to compare two versions of the rules.

Runs what the pipeline runs (tasks.process.analyse: extract, identify, clean) on every page under the PATHs
(`*.html`, `*.htm`, `*.html.gz`) and prints `page<TAB>language<TAB>rule<TAB>removed text`, one row per removal
(titles included, at position -1). Run it on two checkouts and compare the outputs (`sort`, `comm -13`) to read
exactly what a rule change removes that the earlier rules kept. With `--evaldata` (trafilatura's
`tests/evaldata.json`: for each page, snippets its text must hold, `with`, and must not, `without`) it also
counts removals that cut a snippet the page must keep, and removals of a snippet it must not keep.

    uv run python bench/removals.py trafilatura/tests/cache trafilatura/tests/eval \\
        [--evaldata trafilatura/tests/evaldata.json] > removals.tsv

The pages are read where they are (checkouts of adbar/trafilatura or flairNLP/fundus), never copied.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.related_lists import NOW, pages  # noqa: E402
from tasks.clean import load_rules  # noqa: E402
from tasks.models import RawPage  # noqa: E402
from tasks.process import analyse  # noqa: E402
from tasks.relevance.topic import load_topic  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+", type=Path)
    parser.add_argument(
        "--evaldata", type=Path, help="trafilatura's evaldata.json: snippets to keep and to cut"
    )
    args = parser.parse_args()
    truth: dict[str, dict] = {}
    if args.evaldata:
        truth = {v["file"]: v for v in json.loads(args.evaldata.read_text(encoding="utf-8")).values()}
    topic, rules = load_topic(), load_rules()
    counts: Counter = Counter()
    for path, html in pages(args.paths):
        counts["pages"] += 1
        raw = RawPage(url=f"http://127.0.0.9/{path.name}", final_url=None, html=html, fetched_at=NOW)
        try:
            done = analyse(raw, topic, rules, None)
        except Exception as exc:  # a page the pipeline quarantines: say so and go on
            print(f"{path}: {type(exc).__name__}: {exc}", file=sys.stderr)
            continue
        page = path.relative_to(path.parents[1]) if len(path.parents) > 1 else path
        wanted = truth.get(path.name.removesuffix(".gz"), {})
        for removal in done.removed:
            snippet = " ".join(removal.snippet.split())
            counts["removals"] += 1
            if any(w and w in snippet for w in wanted.get("with", [])):
                counts["removals holding a snippet the page must keep"] += 1
                print(f"!keep\t{page}\t{removal.rule}\t{snippet}", file=sys.stderr)
            if any(w and w in snippet for w in wanted.get("without", [])):
                counts["removals of a snippet the page must not keep"] += 1
            print(f"{page}\t{done.language or '?'}\t{removal.rule}\t{snippet}")
    for key, value in counts.items():
        print(f"{key}: {value}", file=sys.stderr)


if __name__ == "__main__":
    main()
