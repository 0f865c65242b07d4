"""Publication-date accuracy of newsmon's extraction next to htmldate (extensive and fast), on the same pages.

    uv run python bench/dates.py --truth TRUTH.json --pages DIR [--pages DIR ...]
    uv run python bench/dates.py --fundus PATH/TO/fundus/tests/resources/parser/test_data

TRUTH.json is in htmldate's evaluation format, `{url: {"file": NAME, "date": "YYYY-MM-DD"}}` (several may be
given); each NAME is looked for in the `--pages` directories in order. `--fundus` reads Fundus's parser test pages
(`<country>/<Publisher>.json` with `V1..Vn` versions, each the reviewed `publishing_date` of the n-th
`<Publisher>_*.html.gz`). Pages are read where they are; nothing is copied.

`--classes` counts the pages newsmon gets wrong by class of error (day/month order, an adjacent day in UTC, the
modified date as truth, a wrong kind of signal chosen, htmldate's pick of another date of the page, ...), from the
signals it read; `--misses` lists them.

Scoring is htmldate's: the right day is a true positive, another day a false positive, no date a false negative;
precision = TP/(TP+FP), recall = TP/(TP+FN), accuracy = TP/(TP+FP+FN). Pages are given without their URL, as a saved
page would be (`--with-url` gives every extractor the URL). Timing is the wall time and the CPU time of each
extractor over all pages, parsing included, each its fastest round.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
from collections import Counter
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from htmldate import find_date  # noqa: E402

from tasks.dates.choice import choose  # noqa: E402
from tasks.dates.page import extract_dates  # noqa: E402
from tasks.decoding import decode_text  # noqa: E402


def load_htmldate(truths: list[str], dirs: list[str]) -> list[tuple[str, str, str]]:
    pages = []
    for path in truths:
        for url, item in json.loads(Path(path).read_text(encoding="utf-8")).items():
            for d in dirs:
                f = Path(d) / item["file"]
                if f.is_file():
                    pages.append((url, decode_text(f.read_bytes())[0], item["date"]))
                    break
            else:
                print(f"missing page {item['file']}", file=sys.stderr)
    return pages


def load_fundus(root: str) -> list[tuple[str, str, str]]:
    pages = []
    for truth in sorted(Path(root).glob("*/*.json")):
        if truth.name == "meta.info":
            continue
        meta_path = truth.parent / "meta.info"
        meta = json.loads(meta_path.read_text(encoding="utf-8")) if meta_path.is_file() else {}
        files = sorted(truth.parent.glob(f"{truth.stem}_*.html.gz"))
        for i, (_, version) in enumerate(sorted(json.loads(truth.read_text(encoding="utf-8")).items())):
            when = version.get("publishing_date")
            if not when or i >= len(files):
                continue
            html = decode_text(gzip.decompress(files[i].read_bytes()))[0]
            pages.append((meta.get(files[i].name, {}).get("url", files[i].name), html, str(when)[:10]))
    return pages


def newsmon(html: str, url: str | None) -> str | None:
    chosen = choose(extract_dates(html, url))
    return chosen.day.isoformat() if chosen.day else None


def miss_class(html: str, url: str | None, truth: str) -> str | None:
    """Why newsmon's day is not the true one, from the signals it read (None: it is right)."""
    choice = choose(extract_dates(html, url))
    if not isinstance(truth, str) or not truth[:1].isdigit():  # NaN in the evaluation files
        return "truth names no date"
    if choice.day is not None and choice.day.isoformat() == truth:
        return None
    want = date.fromisoformat(truth)
    published = [s for s in choice.signals if s.role == "published"]
    modified = [s for s in choice.signals if s.role == "modified"]
    got = choice.day
    if got is None:
        return "no date found"
    if (got.year, got.month, got.day) == (want.year, want.day, want.month):
        return "day/month order"
    if any(s.kind == "url" and s.day == want for s in published):
        return "URL path date not taken"
    if abs((got - want).days) == 1:
        if choice.signal.offset_min in (0, None) and choice.signal.local is not None:
            return "adjacent day: UTC or zoneless time, another local day"
        return "adjacent day: the page's own offset names another day"
    if any(s.day == want for s in published):
        return "wrong kind of signal chosen (another published signal is right)"
    if any(s.day == want for s in modified):
        return "truth is the page's modified date"
    if choice.rule.startswith("htmldate") and (got.month, got.day) == (1, 1):
        return "htmldate: a year alone (copyright line), read as 1 January"
    if choice.rule.startswith("htmldate"):
        return "htmldate: another date of the page (text body, listing, other article)"
    return "the page's structured date contradicts the truth, no signal names it"


def score(name: str, fn, pages, with_url: bool) -> dict:
    tp = fp = fn_ = 0
    started, cpu_started = time.perf_counter(), time.process_time()
    for url, html, truth in pages:
        try:
            found = fn(html, url if with_url else None)
        except Exception:  # a crash is a page without a date
            found = None
        if found is None:
            fn_ += 1
        elif found[:10] == truth:
            tp += 1
        else:
            fp += 1
    seconds = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    return {
        "extractor": name,
        "pages": len(pages),
        "precision": tp / (tp + fp) if tp + fp else 0.0,
        "recall": tp / (tp + fn_) if tp + fn_ else 0.0,
        "accuracy": tp / len(pages) if pages else 0.0,
        "pages_per_s": len(pages) / seconds if seconds else 0.0,
        "ms_per_page": 1000 * seconds / len(pages) if pages else 0.0,
        "cpu_ms_per_page": 1000 * cpu / len(pages) if pages else 0.0,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--truth", action="append", default=[])
    ap.add_argument("--pages", action="append", default=[])
    ap.add_argument("--fundus")
    ap.add_argument("--with-url", action="store_true")
    ap.add_argument("--misses", action="store_true", help="list pages newsmon gets wrong")
    ap.add_argument("--classes", action="store_true", help="count newsmon's misses by class of error")
    ap.add_argument("--rounds", type=int, default=2)
    args = ap.parse_args()
    pages = load_htmldate(args.truth, args.pages) if args.truth else []
    if args.fundus:
        pages += load_fundus(args.fundus)
    if not pages:
        ap.error("no pages: give --truth with --pages, or --fundus")
    extractors = [
        ("newsmon", newsmon),
        ("htmldate extensive", lambda h, u: find_date(h, url=u, original_date=True, extensive_search=True)),
        ("htmldate fast", lambda h, u: find_date(h, url=u, original_date=True, extensive_search=False)),
    ]
    # rounds: htmldate's dateparser compiles its patterns lazily, so whoever runs first pays for that; each
    # extractor runs `--rounds` times over all pages in turn and its fastest round counts
    # (wall time and this process's CPU time, each the fastest round: on a shared machine the CPU time moves
    # far less with the load)
    best: dict[str, dict] = {}
    for _ in range(args.rounds):
        for name, fn in extractors:
            r = score(name, fn, pages, args.with_url)
            if name not in best:
                best[name] = r
            best[name]["ms_per_page"] = min(best[name]["ms_per_page"], r["ms_per_page"])
            best[name]["cpu_ms_per_page"] = min(best[name]["cpu_ms_per_page"], r["cpu_ms_per_page"])
    base = best["htmldate extensive"]
    print(
        f"| {len(pages)} pages (fastest of {args.rounds} rounds) | precision | recall | accuracy | pages/s "
        "| ms/page | CPU ms/page | CPU vs extensive |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for name, _ in extractors:
        r = best[name]
        print(
            f"| {name} | {r['precision']:.3f} | {r['recall']:.3f} | {r['accuracy']:.3f} | "
            f"{1000 / r['ms_per_page'] if r['ms_per_page'] else 0:.1f} | {r['ms_per_page']:.2f} | "
            f"{r['cpu_ms_per_page']:.2f} | {r['cpu_ms_per_page'] / base['cpu_ms_per_page']:.2f}× |"
        )
    if args.classes:
        classes = Counter(
            miss_class(html, url if args.with_url else None, truth) for url, html, truth in pages
        )
        right = classes.pop(None, 0)
        print(f"\n| newsmon's misses by class ({right} of {len(pages)} right) | pages |\n|---|---|")
        for name, n in classes.most_common():
            print(f"| {name} | {n} |")
    if args.misses:
        for url, html, truth in pages:
            got = newsmon(html, url if args.with_url else None)
            if got != truth:
                hd = find_date(html, original_date=True)
                print(f"{truth} newsmon={got} htmldate={hd} {url}")


if __name__ == "__main__":
    main()
