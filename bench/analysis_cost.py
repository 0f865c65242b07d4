"""What newsmon's analysis of one page costs, next to bare trafilatura and bare htmldate on the same pages.

    uv run python bench/analysis_cost.py PATH                   # saved pages under PATH (*.html, *.html.gz)
    uv run python bench/analysis_cost.py --synthetic 300        # pages of the synthetic web (simweb/synthetic.py)
    uv run python bench/analysis_cost.py PATH --dump out.jsonl  # every page's analysis, one JSON line each
    uv run python bench/analysis_cost.py PATH --profile 25      # cProfile: the 25 costliest functions

The analysis is `tasks.process.analyse`: extraction (trafilatura), metadata, every date signal (tasks/dates/,
htmldate), language identification, title and boilerplate cleaning, relevance, the text hash and the MinHash
signature of on-topic pages: all of a page's CPU work before deciding and loading. It is timed next to
`trafilatura.extract(html, url=url)` and `htmldate.find_date(html)` on the same pages in the same process, in CPU
time (`time.process_time`) summed over `--rounds` rounds; the three take turns every `--chunk` pages (100), so a
busy machine slows them alike, and their order alternates between rounds (whichever runs second on a chunk finds
trafilatura's text caches warm).

PATH is read where it is, never copied. For Fundus's parser test pages (`tests/resources/parser/test_data`), each
country folder's `meta.info` gives a page's URL and crawl time; other pages get a loopback URL and a fixed fetch
time. Pages are decoded as the fetcher decodes them (`tasks.decoding.decode_text`).

The share per stage comes from a separate timed pass in which the stage functions are wrapped with a clock; a
stage's share is its time over the whole analysis in that pass (nested stages are indented and included in their
parent). `--dump` writes what the analysis decides per page (text, title, dates, language, relevance, signature,
removals, ...) so two versions of the code can be compared byte for byte (`cmp a.jsonl b.jsonl`).
"""

from __future__ import annotations

import argparse
import cProfile
import gzip
import importlib
import json
import pstats
import sys
import time
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import trafilatura  # noqa: E402
from htmldate import find_date  # noqa: E402

from tasks.clean import load_rules  # noqa: E402
from tasks.decoding import decode_text  # noqa: E402
from tasks.dedupe import signature_bytes  # noqa: E402
from tasks.models import RawPage  # noqa: E402
from tasks.process import analyse  # noqa: E402
from tasks.relevance.topic import load_topic  # noqa: E402

NOW = datetime(2024, 6, 25, 12, 0, tzinfo=UTC)

# (module, attribute, label, parent label): the stage functions the timed pass wraps, as the caller sees them
STAGES = [
    ("tasks.process", "extract_page", "extract_page", None),
    ("tasks.extract", "load_html", "parse (lxml)", "extract_page"),
    ("tasks.extract", "page_dates", "dates (tasks/dates/)", "extract_page"),
    ("tasks.dates.page", "jsonld_signals", "JSON-LD", "dates (tasks/dates/)"),
    ("tasks.dates.page", "meta_signals", "date meta", "dates (tasks/dates/)"),
    ("tasks.dates.page", "time_signals", "<time>", "dates (tasks/dates/)"),
    ("tasks.dates.page", "labelled_signals", "labelled dates", "dates (tasks/dates/)"),
    ("tasks.dates.page", "byline_signal", "bylines", "dates (tasks/dates/)"),
    ("tasks.dates.page", "find_date", "htmldate.find_date", "dates (tasks/dates/)"),
    ("copy", "deepcopy", "tree copy", "extract_page"),
    ("trafilatura", "bare_extraction", "trafilatura.bare_extraction", "extract_page"),
    ("tasks.extract", "_soup_text", "soup fallback", "extract_page"),
    ("tasks.extract", "_identify_language", "language (tasks/langid.py)", "extract_page"),
    ("tasks.process", "clean_title", "clean_title", None),
    ("tasks.process", "resolve_canonical", "canonical URL", None),
    ("tasks.process", "strip_boilerplate", "strip_boilerplate", None),
    ("tasks.process", "apply_templates", "site templates", None),
    ("tasks.process", "score_relevance", "relevance", None),
    ("tasks.process", "minhash", "MinHash signature", None),
    ("tasks.process", "text_hash", "text hash", None),
    ("tasks.process", "choose", "date choice", None),
]


def load_pages(root: Path) -> list[tuple[str, str, datetime]]:
    """(url, html, fetched_at) of every saved page under `root`, in path order."""
    pages = []
    files = sorted(
        p for p in root.rglob("*") if p.is_file() and p.name.endswith((".html", ".htm", ".html.gz"))
    )
    metas: dict[Path, dict] = {}
    for path in files:
        if path.parent not in metas:
            meta = path.parent / "meta.info"
            metas[path.parent] = json.loads(meta.read_text(encoding="utf-8")) if meta.is_file() else {}
        info = metas[path.parent].get(path.name) or {}
        body = path.read_bytes()
        if path.name.endswith(".gz"):
            body = gzip.decompress(body)
        url = info.get("url") or f"http://127.0.0.9/{path.relative_to(root).as_posix()}"
        fetched = NOW
        if info.get("crawl_date"):
            fetched = datetime.fromisoformat(info["crawl_date"]).replace(tzinfo=UTC)
        pages.append((url, decode_text(body)[0], fetched))
    return pages


def synthetic_pages(n: int, hosts: int = 20) -> list[tuple[str, str, datetime]]:
    """`n` pages of bench/scale.py's synthetic web, spread over its article range, with loopback URLs."""
    from simweb.synthetic import SyntheticCorpus

    corpus = SyntheticCorpus(max(n, 1000), hosts)
    step = max(1, corpus.n // n)
    pages = []
    for i in list(range(0, corpus.n, step))[:n]:
        base = f"http://127.0.0.{100 + i % hosts}:8080"
        pages.append((base + corpus.page(i).path, corpus.html(i, base), NOW))
    return pages


def raw_pages(pages: list[tuple[str, str, datetime]]) -> list[RawPage]:
    return [RawPage(url=url, final_url=None, html=html, fetched_at=at) for url, html, at in pages]


def record(item) -> dict:
    """What the analysis decides for one page, JSON-ready, for before/after comparison."""
    dates = item.dates
    return {
        "url": item.raw.url,
        "canonical": item.canonical,
        "title": item.page.title,
        "head_title": item.page.head_title,
        "authors": item.page.authors,
        "site": item.page.site,
        "method": item.page.method,
        "is_amp": item.is_amp,
        "language": [
            item.page.language,
            item.page.language_confidence,
            item.page.language_method,
            item.page.language_claimed,
        ],  # fmt: skip
        "text": item.text,
        "digest": item.digest,
        "removed": [[r.snippet, r.rule, r.position] for r in item.removed],
        "rule_lines": list(item.rule_lines),
        "relevance": [
            item.relevance.score,
            item.relevance.relevant,
            item.relevance.reason,
            item.relevance.matched,
            item.relevance.body_share,
        ],  # fmt: skip
        "signature": signature_bytes(item.signature).hex() if item.signature is not None else None,
        "date": None
        if dates is None
        else {
            "published_at": dates.published_at.isoformat() if dates.published_at else None,
            "day": dates.day.isoformat() if dates.day else None,
            "rule": dates.rule,
            "confidence": dates.confidence,
            "disagreement_days": dates.disagreement_days,
            "modified": repr(dates.modified),
            "signals": [repr(s) for s in dates.signals],
            "dropped": [list(d) for d in dates.dropped],
        },
    }


def timed_rounds(pages, raws, topic, rules, rounds: int, chunk: int = 100) -> dict[str, float]:
    """CPU seconds of each of the three over all pages, summed over `rounds` rounds.

    The three take turns on every chunk of `chunk` pages, so a machine whose load changes slows them alike (a
    chunk is long enough for each to run with its own data in the CPU caches, as it would in a run); the order
    alternates from one round to the next (trafilatura first, then newsmon first), because the one run second on
    a chunk finds trafilatura's text caches warm."""
    spent = {"newsmon": 0.0, "trafilatura": 0.0, "htmldate": 0.0}
    runs = {
        "trafilatura": lambda i: trafilatura.extract(pages[i][1], url=pages[i][0]),
        "htmldate": lambda i: find_date(pages[i][1]),
        "newsmon": lambda i: analyse(raws[i], topic, rules),
    }
    for round_ in range(rounds):
        order = ["trafilatura", "htmldate", "newsmon"]
        if round_ % 2:
            order.reverse()
        for start in range(0, len(pages), chunk):
            for name in order:
                run = runs[name]
                started = time.process_time()
                for i in range(start, min(start + chunk, len(pages))):
                    run(i)
                spent[name] += time.process_time() - started
    return spent


def stage_shares(raws, topic, rules) -> tuple[float, list[tuple[str, int, float]]]:
    """One pass with the stage functions wrapped by a clock: (total s, [(label, depth, s)])."""
    spent: dict[str, float] = defaultdict(float)
    patched = []
    for module_name, attr, label, _parent in STAGES:
        module = importlib.import_module(module_name)
        if not hasattr(module, attr):
            continue
        original = getattr(module, attr)

        def wrapper(*args, __f=original, __label=label, **kwargs):
            started = time.process_time()
            try:
                return __f(*args, **kwargs)
            finally:
                spent[__label] += time.process_time() - started

        setattr(module, attr, wrapper)
        patched.append((module, attr, original))
    try:
        started = time.process_time()
        for raw in raws:
            analyse(raw, topic, rules)
        total = time.process_time() - started
    finally:
        for module, attr, original in reversed(patched):
            setattr(module, attr, original)
    depth: dict[str, int] = {}
    rows = []
    for _m, _a, label, parent in STAGES:
        depth[label] = 0 if parent is None else depth.get(parent, 0) + 1
        if label in spent:
            rows.append((label, depth[label], spent[label]))
    return total, rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("path", type=Path, nargs="?", help="a folder of saved pages (*.html, *.html.gz)")
    ap.add_argument(
        "--synthetic", type=int, default=0, metavar="N", help="N pages of the synthetic web instead"
    )
    ap.add_argument("--rounds", type=int, default=2, help="timed rounds, summed (default 2)")
    ap.add_argument("--chunk", type=int, default=100, help="pages each takes its turn on (default 100)")
    ap.add_argument("--dump", type=Path, help="write every page's analysis as JSON lines to this file")
    ap.add_argument(
        "--profile", type=int, default=0, metavar="K", help="cProfile the analysis: top K by own time"
    )
    ap.add_argument(
        "--no-timing", action="store_true", help="skip the timed rounds (with --dump / --profile)"
    )
    args = ap.parse_args()
    if args.path is None and not args.synthetic:
        ap.error("give a folder of pages or --synthetic N")
    if args.path is not None and not args.path.is_dir():
        ap.error(f"{args.path}: not a folder")

    pages = synthetic_pages(args.synthetic) if args.synthetic else load_pages(args.path)
    if not pages:
        sys.exit(f"no pages under {args.path}")
    raws = raw_pages(pages)
    topic, rules = load_topic(), load_rules()
    # warm up as a running pipeline is: imports, models, the term patterns and rules of every language met
    for raw in raws[:5]:
        trafilatura.extract(raw.html, url=raw.url)
        find_date(raw.html)
    for raw in raws:
        analyse(raw, topic, rules)
    where = f"{args.synthetic} synthetic pages" if args.synthetic else f"{len(pages)} pages from {args.path}"
    print(
        f"{where}, {sum(len(h) for _, h, _ in pages) / len(pages) / 1024:.0f} KiB of HTML per page on average"
    )

    if args.dump:
        with args.dump.open("w", encoding="utf-8") as out:
            for raw in raws:
                out.write(
                    json.dumps(record(analyse(raw, topic, rules)), ensure_ascii=False, sort_keys=True) + "\n"
                )
        print(f"analysis of every page written to {args.dump}")

    if not args.no_timing:
        best = timed_rounds(pages, raws, topic, rules, args.rounds, args.chunk)
        n = len(pages) * args.rounds
        print(
            f"\nCPU time, {args.rounds} rounds, the three taking turns every {args.chunk} pages, one process:"
        )
        print(f"  {'':<34} {'pages/s':>8} {'ms/page':>8} {'x trafilatura':>14}")
        for name, label in (("trafilatura", "bare trafilatura.extract"), ("htmldate", "bare htmldate.find_date"),
                            ("newsmon", "newsmon analyse")):  # fmt: skip
            seconds = best[name]
            print(
                f"  {label:<34} {n / seconds:>8.1f} {1000 * seconds / n:>8.2f} {seconds / best['trafilatura']:>14.2f}"
            )

        total, rows = stage_shares(raws, topic, rules)
        n = len(pages)
        print(f"\nshare per stage (one pass with the stages clocked: {1000 * total / n:.2f} ms/page):")
        for label, depth, seconds in rows:
            print(
                f"  {'  ' * depth}{label:<{38 - 2 * depth}} {1000 * seconds / n:>7.2f} ms {100 * seconds / total:>6.1f}%"
            )

    if args.profile:
        profiler = cProfile.Profile()
        profiler.enable()
        for raw in raws:
            analyse(raw, topic, rules)
        profiler.disable()
        print()
        pstats.Stats(profiler, stream=sys.stdout).sort_stats("tottime").print_stats(args.profile)


if __name__ == "__main__":
    main()
