"""The language of a text from its first 700 characters when the model is sure, against the whole sample.

`tasks/langid.py` reads the start of a text first and the whole sample (3,000 characters) only when the
verdict there is unsure. This prints how often the two verdicts differ and what each costs, on newsmon's
development texts (`simweb/langset/`), the synthetic web's articles (`simweb/synthetic.py`) and, with
`--fundus PATH`, the text newsmon extracts from Fundus's parser test pages (PATH = its
`tests/resources/parser/test_data`, read from there, never copied).

    uv run python bench/langid_quick.py [--fundus PATH]
"""

from __future__ import annotations

import argparse
import gzip
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from simweb.langset import cases  # noqa: E402
from simweb.synthetic import SyntheticCorpus  # noqa: E402
from tasks.extract import extract_page  # noqa: E402
from tasks.langid import identify  # noqa: E402


def _texts_dev() -> list[tuple[str, str]]:
    return [(c.title, "\n".join(c.paragraphs)) for c in cases()]


def _texts_synthetic(n: int = 300) -> list[tuple[str, str]]:
    corpus = SyntheticCorpus(n, 20)
    return [(title, "\n".join(paragraphs)) for title, paragraphs, _ in map(corpus.article, range(n))]


def _texts_fundus(path: Path) -> list[tuple[str, str]]:
    out = []
    for page in sorted(path.glob("*/*.html.gz")):
        html = gzip.decompress(page.read_bytes()).decode("utf-8", "replace")
        extracted = extract_page(html, "https://example.org/")
        out.append((extracted.title or "", extracted.text))
    return out


def compare(name: str, items: list[tuple[str, str]]) -> None:
    identify("warm up the model once", "before timing anything")
    timings, verdicts = {}, {}
    for quick in (False, True):
        started = time.perf_counter()
        verdicts[quick] = [identify(text, title, quick=quick).language for title, text in items]
        timings[quick] = (time.perf_counter() - started) / max(1, len(items)) * 1000
    differ = [i for i, (a, b) in enumerate(zip(verdicts[False], verdicts[True], strict=True)) if a != b]
    print(
        f"{name:28} {len(items):4d} texts  verdicts differ: {len(differ)}  "
        f"ms/text whole sample {timings[False]:.3f}, first look {timings[True]:.3f} "
        f"({timings[False] / max(timings[True], 1e-9):.1f}x)"
    )
    for i in differ[:10]:
        print(f"  differs: {verdicts[False][i]} -> {verdicts[True][i]}: {items[i][0][:60]!r}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--fundus", type=Path)
    args = parser.parse_args()
    compare("development set (25 langs)", _texts_dev())
    compare("synthetic web (5 langs)", _texts_synthetic())
    if args.fundus:
        compare("Fundus parser test pages", _texts_fundus(args.fundus))


if __name__ == "__main__":
    main()
