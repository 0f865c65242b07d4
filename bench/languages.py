"""Languages end to end: identification, relevance and boilerplate per language, on newsmon's development set.

Each case of `simweb/langset/` is rendered as a minimal page without `<html lang>` (a few carry a wrong one)
and run through what the pipeline runs (tasks.process.analyse: extract, identify the language, clean, score).
Figures per language: language accuracy, relevance precision / recall (ground truth: the story is the subject;
asides are negatives), and per boilerplate class how many lines were left; plus content lines lost.

    uv run python bench/languages.py                 # the development set
    uv run python bench/languages.py --holdout       # the held-out set (simweb/langset/holdout)
    uv run python bench/languages.py --holdout --show  # and every miss: page, class, line
    uv run python bench/languages.py --compare       # py3langid vs lingua: accuracy on texts, titles, 40-char
                                                     # snippets and CJK, and speed
    uv run python bench/languages.py --fundus PATH   # identification on Fundus's parser test pages
                                                     # (PATH = its tests/resources/parser/test_data)

The Fundus pages are not newsmon's: they are read from PATH, never copied. Their language is not in the
data, so it is taken from the publisher's country directory where the country has one news language; the
multilingual countries (be, ch, ca, ind, lu, ...) are skipped.
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

from simweb.langset import HOLDOUT, cases, page_html  # noqa: E402
from tasks.clean import load_rules  # noqa: E402
from tasks.extract import extract_page  # noqa: E402
from tasks.langid import identify  # noqa: E402
from tasks.models import RawPage  # noqa: E402
from tasks.process import analyse  # noqa: E402
from tasks.relevance.score import score_relevance  # noqa: E402
from tasks.relevance.topic import load_topic  # noqa: E402

# Fundus country directory -> the language its publishers write in (single-language countries only)
FUNDUS_COUNTRY_LANGUAGE = {
    "at": "de", "au": "en", "cn": "zh", "cz": "cs", "de": "de", "dk": "da", "es": "es", "fr": "fr",
    "gl": "da", "id": "id", "il": "he", "isl": "is", "it": "it", "jp": "ja", "kr": "ko", "li": "de",
    "lt": "lt", "mx": "es", "my": "ms", "na": "en", "no": "no", "pl": "pl", "pt": "pt", "py": "es",
    "ru": "ru", "se": "sv", "tr": "tr", "tw": "zh", "ua": "uk", "uk": "en", "us": "en", "vn": "vi",
    "za": "en", "ls": "en", "tz": "sw",
}  # fmt: skip
# Pages whose language is not their country's, read and labelled by hand (German papers in Spain, Italy,
# Israel and Paraguay; English papers in Japan, Mexico, Malaysia, Portugal, Taiwan, Tanzania; Russian-language
# Pravda in Ukraine; Zulu and Xhosa papers in South Africa).
FUNDUS_PAGE_LANGUAGE = {
    "MallorcaMagazin": "de", "MallorcaZeitung": "de", "IsraelNachrichten": "de", "Tageszeitung": "de",
    "Wochenblatt": "de", "TheJapanNews": "en", "MexicoNewsDaily": "en", "MalayMail": "en",
    "ThePortugalNews": "en", "TaipeiTimes": "en", "DailyNewsTZ": "en", "Pravda": "ru", "Dizindaba": "xh",
    "EyethuNews": "zu", "Ilanga": "zu", "IsolezweLesiXhosa": "xh", "Isolezwe": "zu",
}  # fmt: skip


def dev_set(directory: Path | None = None, show: bool = False) -> None:
    topic, rules = load_topic(), load_rules()
    per = defaultdict(Counter)
    left, total = Counter(), Counter()
    lost = pages_with_left = 0
    all_cases = cases(directory) if directory else cases()
    misses: list[str] = []
    started = time.perf_counter()
    for case in all_cases:
        raw = RawPage(url=f"http://127.0.0.9/{case.id}.html", final_url=None, html=page_html(case),
                      fetched_at=datetime(2024, 11, 30, tzinfo=UTC))  # fmt: skip
        item = analyse(raw, topic, rules)
        c = per[case.language]
        c["pages"] += 1
        c["lang_ok"] += item.language == case.language
        got, want = item.relevance.relevant, case.relevant
        c["tp"] += got and want
        c["fp"] += got and not want
        c["fn"] += want and not got
        if got != want:
            misses.append(f"  relevance: {case.id} [{case.kind}] judged {got}: {item.relevance.reason} "
                          f"{dict(item.relevance.matched)} title={case.title[:60]!r}")  # fmt: skip
        if item.language != case.language:
            misses.append(f"  language: {case.id} read as {item.language}")
        kept = set(item.text.split("\n"))
        any_left = False
        for cls, line in case.boilerplate:
            total[cls] += 1
            if any(line in k for k in kept):
                left[cls] += 1
                any_left = True
                misses.append(f"  left: {case.id} {cls}: {line!r}")
        pages_with_left += any_left
        kept_plain = {k.replace("\u200c", "") for k in kept}  # extraction drops zero-width non-joiners
        gone = [p for p in case.paragraphs if p.replace("\u200c", "") not in kept_plain]
        lost += len(gone)
        misses.extend(f"  lost: {case.id}: {p[:100]!r}" for p in gone)
    elapsed = time.perf_counter() - started

    def pr(c: Counter) -> tuple[str, str]:
        p = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 1.0
        r = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 1.0
        return f"{p:.2f}", f"{r:.2f}"

    print(f"{'lang':5} {'pages':>5} {'lang_acc':>8} {'rel_P':>6} {'rel_R':>6}")
    grand = Counter()
    for language in sorted(per):
        c = per[language]
        grand.update(c)
        p, r = pr(c)
        print(f"{language:5} {c['pages']:5d} {c['lang_ok'] / c['pages']:8.2f} {p:>6} {r:>6}")
    p, r = pr(grand)
    print(f"{'all':5} {grand['pages']:5d} {grand['lang_ok'] / grand['pages']:8.2f} {p:>6} {r:>6}")
    print("\nboilerplate left per class (lines left / lines planted)")
    for cls in sorted(total):
        print(f"  {cls:14} {left[cls]:3d} / {total[cls]:3d}")
    print(f"  pages with a boilerplate line left: {pages_with_left} / {len(all_cases)} "
          f"({pages_with_left / len(all_cases):.0%}); content lines lost: {lost}")  # fmt: skip
    print(f"  {len(all_cases) / elapsed:.1f} pages/s end to end")
    if show:
        print("\n".join(misses))


def _snippets():
    """(language, kind, text) from the development set: whole texts, titles, 40-character snippets."""
    for case in cases():
        text = "\n".join(case.paragraphs)
        yield case.language, "text", text
        yield case.language, "title", case.title
        yield case.language, "snippet40", case.paragraphs[-1][:40]


def compare() -> None:
    import py3langid.langid as pl
    from lingua import IsoCode639_1, LanguageDetectorBuilder

    items = list(_snippets())
    ident = pl.LanguageIdentifier.from_modelpath(pl.MODEL_DIR / pl.MODEL_FILE, norm_probs=True)

    def lingua_high():
        return LanguageDetectorBuilder.from_all_languages().with_preloaded_language_models().build()

    def lingua_low():
        return (
            LanguageDetectorBuilder.from_all_languages()
            .with_low_accuracy_mode()
            .with_preloaded_language_models()
            .build()
        )

    def via_lingua(make):
        # built only when its turn comes, so its model loading never overlaps another detector's timing
        def build():
            t0 = time.perf_counter()
            detector = make()
            print(f"  (lingua models loaded in {time.perf_counter() - t0:.1f}s)")

            def detect(text):
                lang = detector.detect_language_of(text)
                return lang.iso_code_639_1.name.lower() if lang else None

            return detect

        return build

    _ = IsoCode639_1
    detectors = {
        "py3langid": lambda: lambda text: ident.classify(text)[0],
        "newsmon (py3langid+script)": lambda: lambda text: identify(text).language,
        "lingua (high)": via_lingua(lingua_high),
        "lingua (low)": via_lingua(lingua_low),
    }
    cjk = {"zh", "ja", "ko"}
    for name, build in detectors.items():
        detect = build()
        detect("warm up")
        ok, n = Counter(), Counter()
        t0 = time.perf_counter()
        chars = 0
        for lang, kind, text in items:
            chars += len(text)
            got = detect(text)
            for key in (kind, "cjk" if lang in cjk else None):
                if key:
                    n[key] += 1
                    ok[key] += got == lang
        dt = time.perf_counter() - t0
        figures = "  ".join(f"{k}={ok[k] / n[k]:.3f}" for k in ("text", "title", "snippet40", "cjk"))
        print(f"{name:28} {figures}  {len(items) / dt:8.0f} texts/s ({chars / dt / 1e6:.2f} MB/s)")


def fundus(path: Path) -> None:
    ok, n, markup_ok = Counter(), Counter(), Counter()
    confusions = Counter()
    skipped = 0
    topic = load_topic()
    accepted, judged = Counter(), Counter()  # relevance: nearly every Fundus page is off the story
    false_positives: list[str] = []
    for country_dir in sorted(p for p in path.iterdir() if p.is_dir()):
        for page in sorted(country_dir.glob("*.html.gz")):
            want = FUNDUS_PAGE_LANGUAGE.get(
                page.name.split("_")[0], FUNDUS_COUNTRY_LANGUAGE.get(country_dir.name)
            )
            if want is None:
                skipped += 1
                continue
            html = gzip.decompress(page.read_bytes()).decode("utf-8", "replace")
            extracted = extract_page(html, "https://example.org/")
            markup_said = extracted.language_claimed
            got = extracted.language
            n[want] += 1
            ok[want] += got == want
            markup_ok[want] += (markup_said or "").split("-")[0].lower() == want
            if got != want:
                confusions[(want, got, extracted.language_method)] += 1
            # the text alone, without the markup's tie-break
            alone = identify(extracted.text, extracted.title).language
            n["_text_only"] += 1
            ok["_text_only"] += alone == want
            verdict = score_relevance(extracted.title, extracted.text, topic, got)
            judged[want] += 1
            if verdict.relevant:
                accepted[want] += 1
                false_positives.append(
                    f"  accepted: {country_dir.name}/{page.name} [{want}] {verdict.reason} "
                    f"{dict(verdict.matched)} title={(extracted.title or '')[:70]!r}"
                )
    total = sum(v for k, v in n.items() if not k.startswith("_"))
    good = sum(v for k, v in ok.items() if not k.startswith("_"))
    print(f"Fundus parser test pages: {total} pages in {len([k for k in n if not k.startswith('_')])} languages "
          f"({skipped} pages of multilingual countries skipped)")  # fmt: skip
    print(f"  newsmon (text + markup tie-break): {good / total:.3f}")
    print(f"  text only:                         {ok['_text_only'] / n['_text_only']:.3f}")
    print(f"  markup alone (<html lang>/og:locale): {sum(markup_ok.values()) / total:.3f}")
    for lang in sorted(k for k in n if not k.startswith("_")):
        print(f"  {lang:3} {ok[lang]:3d}/{n[lang]:3d}  markup {markup_ok[lang]:3d}/{n[lang]:3d}")
    for (want, got, method), count in confusions.most_common(10):
        print(f"  miss: {want} -> {got} ({method}) x{count}")
    print(f"Relevance on the same pages (off the story unless inspected): {sum(accepted.values())} of "
          f"{sum(judged.values())} accepted")  # fmt: skip
    for lang in sorted(judged):
        print(f"  {lang:3} accepted {accepted[lang]:3d}/{judged[lang]:3d}  rate {accepted[lang] / judged[lang]:.3f}")
    print("\n".join(false_positives))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--compare", action="store_true")
    parser.add_argument("--fundus", type=Path)
    parser.add_argument("--holdout", action="store_true", help="the held-out set instead of the development set")
    parser.add_argument("--show", action="store_true", help="print every miss")
    args = parser.parse_args()
    if args.fundus:
        fundus(args.fundus)
    elif args.compare:
        compare()
    else:
        dev_set(HOLDOUT if args.holdout else None, args.show)


if __name__ == "__main__":
    main()
