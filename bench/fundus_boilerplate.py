"""Boilerplate left and content lost on real pages, per language: newsmon's extraction + cleaning beside bare
`trafilatura.extract` on Fundus's parser test pages, against each page's reviewed body.

    uv run python bench/fundus_boilerplate.py PATH   # PATH = fundus's tests/resources/parser/test_data

The pages are not newsmon's: they are read from PATH, never copied. Each publisher's JSON holds the reviewed
title and body (summary, headlines, paragraphs) per parser version; versions and pages are paired in date
order, as bench/dates.py does. Lines are matched tolerantly (NFKC, case, quotes, dashes and whitespace
folded): an output line is boilerplate left when it is neither in the reviewed body (as a paragraph, inside
one, or holding one) nor the title or summary; a body paragraph is lost when the output does not contain it.
The language is the one newsmon identifies.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
import unicodedata
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import trafilatura  # noqa: E402

from tasks.clean import load_rules  # noqa: E402
from tasks.models import RawPage  # noqa: E402
from tasks.process import analyse  # noqa: E402
from tasks.relevance import load_topic  # noqa: E402

_QUOTES = str.maketrans({c: '"' for c in "«»“”„‟‹›「」『』"} | {c: "'" for c in "‘’‚‛`´"} | {c: "-" for c in "–—―‐"})


def norm(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text).casefold().translate(_QUOTES)
    return " ".join(folded.split())


def load(root: Path) -> list[tuple[str, str, str, list[str], list[str]]]:
    """(file, html, title, summary lines, body paragraphs) per page with a reviewed body."""
    pages = []
    for truth in sorted(root.glob("*/*.json")):
        files = sorted(truth.parent.glob(f"{truth.stem}_*.html.gz"))
        for i, (_, version) in enumerate(sorted(json.loads(truth.read_text(encoding="utf-8")).items())):
            body = version.get("body") or {}
            if i >= len(files) or not isinstance(body, dict):
                continue
            paragraphs = [
                p for section in body.get("sections") or [] for p in [*section.get("headline", []), *section.get("paragraphs", [])]
            ]
            if not paragraphs:
                continue
            html = gzip.decompress(files[i].read_bytes()).decode("utf-8", "replace")
            pages.append((f"{truth.parent.name}/{files[i].name}", html, version.get("title") or "",
                          list(body.get("summary") or []), paragraphs))  # fmt: skip
    return pages


def judge(output: str, title: str, summary: list[str], paragraphs: list[str]) -> tuple[list[str], list[str]]:
    """(boilerplate lines left, body paragraphs lost) of one output."""
    body = [norm(p) for p in paragraphs if norm(p)]
    known = body + [norm(title)] + [norm(s) for s in summary]
    whole = "\n".join(known)
    lines = [line for line in (norm(x) for x in output.splitlines()) if line]
    left = [line for line in lines if line not in whole and not any(k and k in line for k in known)]
    joined = "\n".join(lines)
    flat = " ".join(lines)
    lost = [p for p in body if p not in joined and p not in flat]
    return left, lost


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("path", type=Path)
    ap.add_argument("--show", type=int, default=0, help="print up to N lines left per language")
    args = ap.parse_args()
    topic, rules = load_topic(), load_rules()
    per = {name: {"pages": Counter(), "left_pages": Counter(), "left": Counter(), "lost_pages": Counter(),
                  "lost": Counter()} for name in ("newsmon", "trafilatura")}  # fmt: skip
    shown: dict[str, list[str]] = {}
    for file, html, title, summary, paragraphs in load(args.path):
        raw = RawPage(url="https://example.org/article", final_url=None, html=html, fetched_at=datetime.now(UTC))
        item = analyse(raw, topic, rules)
        language = item.page.language or "?"
        outputs = {"newsmon": item.text or "", "trafilatura": trafilatura.extract(html) or ""}
        for name, output in outputs.items():
            left, lost = judge(output, title, summary, paragraphs)
            figures = per[name]
            figures["pages"][language] += 1
            figures["left_pages"][language] += bool(left)
            figures["left"][language] += len(left)
            figures["lost_pages"][language] += bool(lost)
            figures["lost"][language] += len(lost)
            if name == "newsmon" and left:
                shown.setdefault(language, []).extend(f"{file}: {line[:110]}" for line in left)
    print("per language: pages | newsmon: pages with a line left (lines), pages with content lost (paragraphs) "
          "| bare trafilatura.extract: the same")  # fmt: skip
    n, t = per["newsmon"], per["trafilatura"]
    for language in sorted(n["pages"]) + ["all"]:
        def get(c: Counter) -> int:
            return sum(c.values()) if language == "all" else c[language]

        pages = get(n["pages"])
        print(f"  {language:4} {pages:4d} | newsmon left {get(n['left_pages']):3d} ({get(n['left']):4d}) "
              f"lost {get(n['lost_pages']):3d} ({get(n['lost']):4d}) | trafilatura left "
              f"{get(t['left_pages']):3d} ({get(t['left']):4d}) lost {get(t['lost_pages']):3d} ({get(t['lost']):4d})")  # fmt: skip
    total = sum(n["pages"].values())
    for name, figures in per.items():
        print(f"{name:12} pages with a boilerplate line left {sum(figures['left_pages'].values()) / total:.1%}, "
              f"with a content paragraph lost {sum(figures['lost_pages'].values()) / total:.1%}")  # fmt: skip
    if args.show:
        for language in sorted(shown):
            for line in shown[language][: args.show]:
                print(f"  [{language}] {line}")


if __name__ == "__main__":
    main()
