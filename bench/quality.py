"""Extraction quality and cost on the simulated web's pages, scored against their ground truth.

Compares, on the same pages and in the same run:
  newsmon      extract_page + strip_boilerplate + learned site templates (what the pipeline stores; the
               templates are learned once from all the pages first, as the pipeline does after a run)
  trafilatura  trafilatura.extract(html, url=url)
  precision    trafilatura.extract(html, url=url, favor_precision=True)

Figures: token precision / recall / F1 on word 4-grams against the ground-truth content lines, boilerplate residue
(ground-truth boilerplate snippets still present), content lines lost, and pages per second.

    uv run python bench/quality.py [--repeat 3] [--json]
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import requests  # noqa: E402
import trafilatura  # noqa: E402

from simweb import SimWeb  # noqa: E402
from tasks.clean import load_rules, strip_boilerplate  # noqa: E402
from tasks.extract import extract_page  # noqa: E402
from tasks.process import site_key  # noqa: E402
from tasks.templates import PageLines, TemplateSettings, apply_templates, learn_templates  # noqa: E402

_WORD = re.compile(r"\w+", re.UNICODE)
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")


def tokens(text: str) -> list[str]:
    """Words; CJK scripts without spaces count character by character."""
    out: list[str] = []
    for word in _WORD.findall(text.casefold()):
        out.extend(list(word) if _CJK.search(word) else [word])
    return out


def ngrams(text: str, n: int = 4) -> Counter:
    toks = tokens(text)
    return Counter(tuple(toks[i : i + n]) for i in range(max(0, len(toks) - n + 1)))


def prf(predicted: str, truth: str) -> tuple[float, float, float]:
    p, t = ngrams(predicted), ngrams(truth)
    overlap = sum((p & t).values())
    precision = overlap / sum(p.values()) if p else 0.0
    recall = overlap / sum(t.values()) if t else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def newsmon_text(html: str, url: str, language: str | None, rules, templates=None) -> str:
    page = extract_page(html, url)
    text = strip_boilerplate(page.text, language=page.language or language, html=page.tree, rules=rules).text
    keys = (templates or {}).get(site_key(url))
    return apply_templates(text, page.title, keys, 1).text if keys else text


def learn_from(pages, rules) -> dict[str, set[str]]:
    """Site templates learned from the pages, with the pipeline's default thresholds."""
    seen = []
    for truth, html in pages:
        page = extract_page(html, truth.url)
        text = strip_boilerplate(page.text, language=page.language, html=page.tree, rules=rules).text
        seen.append(
            PageLines(
                site_key(truth.url),
                truth.url,
                truth.published.date(),
                truth.on_topic,
                page.title,
                tuple(line for line in text.split("\n") if line.strip()),
            )
        )
    return {site: set(lines) for site, lines in learn_templates(seen, TemplateSettings()).items()}


def systems(rules, templates=None):
    return {
        "newsmon": lambda html, url, lang: newsmon_text(html, url, lang, rules, templates),
        "trafilatura": lambda html, url, lang: trafilatura.extract(html, url=url) or "",
        "precision": lambda html, url, lang: trafilatura.extract(html, url=url, favor_precision=True) or "",
    }


def collect_pages(web: SimWeb) -> list[tuple[object, str]]:
    """Every article page of the simulated web that serves normally (no fault), with its HTML."""
    pages = []
    with requests.Session() as session:
        for truth in web.truth():
            if truth.fault or truth.kind == "amp" or not truth.content_lines:
                continue
            response = session.get(truth.url, timeout=10)
            if response.ok:
                response.encoding = "utf-8"
                pages.append((truth, response.text))
    return pages


def score(pages, rules, templates) -> dict:
    results: dict[str, dict] = {}
    per_page_f1: dict[str, list[float]] = {}
    for name, run in systems(rules, templates).items():
        ps, rs, fs, residue, lost = [], [], [], 0, 0
        for truth, html in pages:
            text = run(html, truth.url, truth.language)
            p, r, f = prf(text, "\n".join(truth.content_lines))
            ps.append(p), rs.append(r), fs.append(f)
            residue += sum(1 for snippet in truth.boilerplate if snippet in text)
            lost += sum(1 for line in truth.content_lines if line not in text)
        per_page_f1[name] = fs
        results[name] = {
            "precision": round(statistics.mean(ps), 4),
            "recall": round(statistics.mean(rs), 4),
            "f1": round(statistics.mean(fs), 4),
            "boilerplate_residue": residue,
            "content_lines_lost": lost,
        }
    worse = [
        pages[i][0].url
        for i, (ours, bare) in enumerate(zip(per_page_f1["newsmon"], per_page_f1["trafilatura"], strict=True))
        if ours + 1e-9 < bare
    ]
    results["newsmon"]["pages_below_trafilatura_f1"] = worse
    return results


def speed(pages, rules, templates, repeat: int) -> dict:
    """Best of `repeat` timings per system; systems alternate within each repeat so load changes hit all alike.

    `extract_only` is newsmon's extraction (trafilatura plus the page's own metadata) without any cleaning, so
    the cost of cleaning itself reads as newsmon / extract_only.
    """
    runs = {name: run for name, run in systems(rules, templates).items() if name != "precision"}
    runs["extract_only"] = lambda html, url, lang: extract_page(html, url).text
    best = dict.fromkeys(runs, float("inf"))
    for _ in range(repeat):
        for name, run in runs.items():
            started = time.perf_counter()
            for truth, html in pages:
                run(html, truth.url, truth.language)
            best[name] = min(best[name], time.perf_counter() - started)
    out = {name: round(len(pages) / seconds, 1) for name, seconds in best.items()}
    out["cleaning_overhead_pct"] = round(100 * (best["newsmon"] / best["extract_only"] - 1), 1)
    out["overhead_vs_trafilatura_pct"] = round(100 * (best["newsmon"] / best["trafilatura"] - 1), 1)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repeat", type=int, default=5, help="timing repeats (best is kept)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    rules = load_rules()
    with SimWeb(faults=None) as web:
        pages = collect_pages(web)
    templates = learn_from(pages, rules)
    report = {
        "pages": len(pages),
        "template_sites": len(templates),
        "quality": score(pages, rules, templates),
        "pages_per_second": speed(pages, rules, templates, args.repeat),
    }
    if args.json:
        print(json.dumps(report, indent=2))
        return
    print(
        f"{report['pages']} pages of the simulated web; site templates learned for {report['template_sites']} sites\n"
    )
    print(f"{'system':<12} {'precision':>9} {'recall':>7} {'F1':>7} {'residue':>8} {'lost':>5}")
    for name, q in report["quality"].items():
        print(
            f"{name:<12} {q['precision']:>9.4f} {q['recall']:>7.4f} {q['f1']:>7.4f} "
            f"{q['boilerplate_residue']:>8} {q['content_lines_lost']:>5}"
        )
    below = report["quality"]["newsmon"]["pages_below_trafilatura_f1"]
    print(f"\npages where newsmon's F1 is below trafilatura's: {len(below)} {below if below else ''}")
    s = report["pages_per_second"]
    print(
        f"\npages/s: newsmon extract+clean {s['newsmon']}, newsmon extract only {s['extract_only']}, "
        f"trafilatura.extract {s['trafilatura']}\ncleaning costs {s['cleaning_overhead_pct']}% on top of extraction; "
        f"newsmon end to end vs bare trafilatura: {s['overhead_vs_trafilatura_pct']}%"
    )


if __name__ == "__main__":
    main()
