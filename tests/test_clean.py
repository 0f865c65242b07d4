"""strip_boilerplate on the seed articles (plain text and a page around them), inline insertions, properties."""

from __future__ import annotations

import html as htmllib
import re
import time
from functools import cache
from pathlib import Path

import pytest
import trafilatura
from hypothesis import example, given, settings
from hypothesis import strategies as st

from tasks.clean import load_rules, strip_boilerplate
from tasks.models import CleanResult

SEEDS = Path(__file__).parent / "fixtures" / "seeds"
SEED_NAMES = sorted(
    path.name.removesuffix(".txt") for path in SEEDS.glob("*.txt") if path.name.count(".") == 1
)
SEED_LANGUAGE = "id"  # both seeds come from Indonesian news sites
PAGE_URL = "https://media.example/dunia/2024/06/20/pakta-rusia-korea-utara.html"


def _lines(name: str, suffix: str) -> list[str]:
    return [line for line in (SEEDS / f"{name}{suffix}").read_text(encoding="utf-8").split("\n") if line]


def _slug(text: str) -> str:
    return re.sub(r"\W+", "-", text[:40]).strip("-").lower()


# --- the seed page: every extracted line a <p>, related links as the site marks them up ---

# Labels of the related-link lines in the seeds; "Baca Juga:" glues two linked headlines together.
_SEED_LABEL = re.compile(r"^(Baca Juga\s*:|LEBIH LANJUT\s*:|LAGI\s*:|LEBIH\s*:)\s*(.*)$")
_GLUED_HEADLINES = re.compile(r"(?<=[a-z])(?=[A-Z])")  # "...Kuasa HukumSurvey ARFI..."
_EMAIL_AT_END = re.compile(r"^(.*\s)([\w.+-]+@[\w.-]+\w)(\.?)$")


def _block(line: str) -> str:
    if match := _SEED_LABEL.match(line):
        label, rest = match.groups()
        glued = label.startswith("Baca")
        headlines = _GLUED_HEADLINES.split(rest) if glued else [rest]
        links = "".join(
            f'<a href="/berita/{_slug(headline)}.html">{htmllib.escape(headline)}</a>'
            for headline in headlines
        )
        return f"<p><strong>{htmllib.escape(label)}</strong>{'' if glued else ' '}{links}</p>"
    if match := _EMAIL_AT_END.match(line):
        before, address, stop = match.groups()
        return f'<p>{htmllib.escape(before)}<a href="mailto:{address}">{address}</a>{stop}</p>'
    if len(line.split()) <= 12 and not line.endswith((".", "!", "?", "’", "”")):
        return f"<h2>{htmllib.escape(line)}</h2>"
    return f"<p>{htmllib.escape(line)}</p>"


def article_page(lines: list[str], title: str = "Pakta pertahanan Rusia dan Korea Utara") -> str:
    body = "\n".join(_block(line) for line in lines)
    return f"""<!DOCTYPE html>
<html lang="id">
<head><meta charset="utf-8"><title>{title} | Contoh Media</title>
<meta property="og:title" content="{title}"><link rel="canonical" href="{PAGE_URL}"></head>
<body>
<header><a href="/" class="logo">Contoh Media</a>
<nav><a href="/">Beranda</a> <a href="/dunia">Dunia</a> <a href="/politik">Politik</a></nav></header>
<main>
<article>
<h1>{title}</h1>
<p class="meta">Redaksi · Kamis, 20 Juni 2024 08:15 WIB</p>
<div class="article-body">
{body}
</div>
</article>
<aside><h3>Berita Terpopuler</h3>
<ul><li><a href="/ekonomi/harga-beras.html">Harga beras naik lagi di pasar induk</a></li>
<li><a href="/olahraga/timnas.html">Timnas lolos ke putaran ketiga</a></li></ul></aside>
</main>
<footer><p>© 2024 Contoh Media. Hak cipta dilindungi undang-undang.</p></footer>
</body>
</html>"""


def extract(page: str) -> str:
    text = trafilatura.extract(page, url=PAGE_URL, include_comments=False, deduplicate=False)
    assert text is not None
    return text


@cache
def cleaned_seed(name: str, mode: str) -> tuple[list[str], list[str], CleanResult]:
    """(input lines, output lines, result) for a seed cleaned from its text or from a page around it."""
    if mode == "text":
        text, page = (SEEDS / f"{name}.txt").read_text(encoding="utf-8"), None
    else:
        page = article_page(_lines(name, ".txt"))
        text = extract(page)
    result = strip_boilerplate(text, language=SEED_LANGUAGE, html=page)
    return text.split("\n"), result.text.split("\n"), result


def _cases(suffix: str) -> list:
    return [
        pytest.param(name, index, line, id=f"{name[:3]}-{index:02d}-{_slug(line)}")
        for name in SEED_NAMES
        for index, line in enumerate(_lines(name, suffix))
    ]


@pytest.mark.parametrize("mode", ["text", "html"])
@pytest.mark.parametrize(("name", "index", "line"), _cases(".boilerplate.txt"))
def test_seed_boilerplate_line_is_removed(name: str, index: int, line: str, mode: str) -> None:
    source, output, result = cleaned_seed(name, mode)
    assert line in source, "the page must carry the line, or this test proves nothing"
    assert all(line not in kept for kept in output), f"still there: {line!r}"
    position = source.index(line)
    assert [r.snippet for r in result.removed if r.position == position] == [line]


@pytest.mark.parametrize("mode", ["text", "html"])
@pytest.mark.parametrize(("name", "index", "line"), _cases(".expected.txt"))
def test_seed_content_line_is_kept_in_order(name: str, index: int, line: str, mode: str) -> None:
    _, output, _ = cleaned_seed(name, mode)
    assert line in output, f"content lost: {line!r}"
    if index:
        previous = _lines(name, ".expected.txt")[index - 1]
        assert output.index(previous) < output.index(line), "content out of order"


@pytest.mark.parametrize("name", SEED_NAMES)
def test_seed_cleans_to_exactly_the_expected_lines(name: str) -> None:
    assert cleaned_seed(name, "text")[1] == _lines(name, ".expected.txt")


def test_seed_removals_name_their_rules() -> None:
    removed = cleaned_seed("000_c5a3c731593b610c", "text")[2].removed
    assert [(removal.position, removal.rule) for removal in removed] == [
        (18, "id.contact.hubungi"),
        (19, "id.more_stories.cerita-seperti-ini"),
        (20, "id.related.lebih-lanjut"),
        (21, "id.related.lebih-lanjut"),
        (22, "id.related.lebih-lanjut"),
        (23, "id.newsletter.dapatkan-berita"),
        (24, "id.recaptcha.dilindungi"),
    ]


# --- related-link insertions inside a paragraph ---

BEFORE = "Putin dan Kim menandatangani pakta itu di Pyongyang pada Rabu."
AFTER = "Pakta tersebut mencakup klausul saling membantu jika salah satu pihak diserang."
HEADLINES = (
    "Ibu Kandung Pegi Setiawan Tolak Jalani Pemeriksaan Psikologi",
    "Survey ARFI Institut Ungkap Hasil",
)


def _insertion_page(before: str, after: str, label_markup: str = "<strong>Baca Juga:</strong>") -> str:
    links = "".join(f'<a href="/berita/{i}.html">{headline}</a>' for i, headline in enumerate(HEADLINES))
    paragraph = f"<p>{before} {label_markup}{links} {after}</p>"
    filler = "".join(
        f"<p>Paragraf {n}: Duma meratifikasi perjanjian itu pada Oktober, dan Dewan Federasi menyusul.</p>"
        for n in range(3)
    )
    return f"<html><body><article><h1>Pakta</h1>{filler}{paragraph}{filler}</article></body></html>"


@pytest.mark.parametrize(
    "label_markup",
    ["<strong>Baca Juga:</strong>", "<b>Baca Juga: </b>", "Baca Juga:"],
    ids=["strong", "b", "text"],
)
def test_insertion_inside_paragraph_is_cut_exactly_with_html(label_markup: str) -> None:
    page = _insertion_page(BEFORE, AFTER, label_markup)
    text = extract(page)
    glued = next(line for line in text.split("\n") if "Baca Juga" in line)
    assert glued.startswith(BEFORE) and glued.endswith(AFTER)

    result = strip_boilerplate(text, language="id", html=page)

    assert f"{BEFORE} {AFTER}" in result.text.split("\n")
    [removal] = result.removed
    assert removal.rule == "id.related.baca-juga"
    assert removal.snippet.startswith("Baca Juga:") and removal.snippet.endswith(HEADLINES[1])


def test_insertion_inside_paragraph_is_left_alone_without_html() -> None:
    # Where the headlines end and the next sentence begins cannot be told from the text alone.
    line = f"{BEFORE} Baca Juga:{''.join(HEADLINES)} {AFTER}"
    result = strip_boilerplate(line, language="id")
    assert result.text == line
    assert result.removed == []


@pytest.mark.parametrize("with_html", [False, True], ids=["text", "html"])
def test_insertion_ending_a_paragraph_is_cut(with_html: bool) -> None:
    page = _insertion_page(BEFORE, "")
    text = extract(page) if with_html else f"Paragraf pertama.\n{BEFORE} Baca Juga:{''.join(HEADLINES)}"
    result = strip_boilerplate(text, language="id", html=page if with_html else None)
    assert BEFORE in result.text.split("\n")
    assert "Baca Juga" not in result.text
    assert [r.rule for r in result.removed] == ["id.related.baca-juga"]
    assert result.removed[0].snippet == f"Baca Juga:{''.join(HEADLINES)}"


def test_insertion_glued_to_the_sentence_before_is_cut() -> None:
    result = strip_boilerplate(f"{BEFORE}Baca Juga: {HEADLINES[0]}", language="id")
    assert result.text == BEFORE
    assert result.removed[0].position == 0


def test_label_after_an_unfinished_sentence_is_left_alone() -> None:
    line = "Juru bicara itu berkata Baca Juga: dokumen resmi Kremlin"
    assert strip_boilerplate(line, language="id").text == line


def test_insertion_in_the_html_but_not_the_text_changes_nothing() -> None:
    page = _insertion_page(BEFORE, AFTER)
    text = f"{BEFORE}\n{AFTER}\nPerubahan Kebijakan"
    result = strip_boilerplate(text, language="id", html=page)
    assert result.text == text and result.removed == []


def test_xhtml_page_with_an_encoding_declaration_is_read() -> None:
    page = '<?xml version="1.0" encoding="utf-8"?>\n' + _insertion_page(BEFORE, AFTER)
    line = f"{BEFORE} Baca Juga:{''.join(HEADLINES)} {AFTER}"
    assert strip_boilerplate(line, language="id", html=page).text == f"{BEFORE} {AFTER}"


def test_broken_html_falls_back_to_the_text() -> None:
    line = f"{BEFORE} Baca Juga: {HEADLINES[0]}"
    assert strip_boilerplate(line, language="id", html="<<<not html").text == BEFORE


# --- languages, whitespace, subheadings ---


def test_short_subheadings_are_content() -> None:
    text = "Perubahan Kebijakan\nApa yang kita ketahui tentang kemitraan antara Rusia dan Korea Utara"
    assert strip_boilerplate(text, language="id").text == text
    assert strip_boilerplate(text, language=None).text == text


def test_known_language_skips_other_languages_rules_except_related_labels() -> None:
    assert strip_boilerplate("Iklan", language="ko").text == "Iklan"  # an Indonesian ad label
    assert strip_boilerplate("Iklan", language=None).text == ""
    assert strip_boilerplate("Iklan", language="id-ID").text == ""
    assert strip_boilerplate("Advertisement", language="ko").text == ""  # English applies everywhere
    assert strip_boilerplate("Baca Juga: Putin Tiba di Pyongyang", language="ko").text == ""


def test_unknown_language_applies_every_rule() -> None:
    for line in ("광고", "Реклама", "Publicidad", "Iklan"):
        assert strip_boilerplate(line, language="xx").text == "", line


def test_empty_lines_and_untouched_lines_are_kept_verbatim() -> None:
    text = "  First paragraph with  double spaces.\n\nSecond paragraph.\n"
    assert strip_boilerplate(text, language="en").text == text


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            "Kim dan Putin berjabat tangan (Foto: AFP) di bandara.",
            "Kim dan Putin berjabat tangan di bandara.",
        ),
        ("Kim dan Putin berjabat tangan (Foto: AFP).", "Kim dan Putin berjabat tangan."),
        ("Kim dan Putin\t(Foto: AFP)  di bandara.", "Kim dan Putin\tdi bandara."),
    ],
)
def test_a_cut_keeps_one_of_the_spaces_around_it(line: str, expected: str) -> None:
    result = strip_boilerplate(line, language="id")
    assert result.text == expected
    assert [(r.snippet, r.rule) for r in result.removed] == [
        ("(Foto: AFP)", "id.photo_credit.foto-dalam-kalimat")
    ]


def test_default_rules_are_loaded_once() -> None:
    assert load_rules() is load_rules()


def test_a_thousand_word_article_cleans_well_under_a_millisecond_per_line() -> None:
    words = (SEEDS / "000_c5a3c731593b610c.expected.txt").read_text(encoding="utf-8").split()
    lines = [" ".join(words[i : i + 35]) for i in range(0, 1000, 35)]
    text = "\n".join([*lines, *_lines("000_c5a3c731593b610c", ".boilerplate.txt")])
    strip_boilerplate(text, language="id")
    runs = 20
    started = time.perf_counter()
    for _ in range(runs):
        strip_boilerplate(text, language="id")
    per_line = (time.perf_counter() - started) / runs / len(text.split("\n"))
    assert per_line < 0.001, f"{per_line * 1e6:.0f} µs per line"


# --- properties: idempotent, never adds text ---

_FRAGMENTS = [
    *_lines("000_c5a3c731593b610c", ".txt"),
    *_lines("004_ed0719dbe2560981", ".txt"),
    *(example for rule in load_rules().rules for example in (*rule.drop, *rule.keep)),
    "Baca Juga:",
    BEFORE,
    AFTER,
    *HEADLINES,
    "MORE:",
    "관련기사",
    "(Foto: AFP)",
    ". ",
    "。",
    "  ",
]
_piece = st.one_of(st.sampled_from(_FRAGMENTS), st.text(max_size=30))
_line = st.lists(_piece, max_size=4).map("".join)
_text = st.lists(_line, max_size=6).map("\n".join)


def _is_subsequence(short: str, long: str) -> bool:
    remaining = iter(long)
    return all(char in remaining for char in short)


@settings(max_examples=150, deadline=None)
@example(text="- – additional reporting by Jo Smith\x1b", language=None, page=_insertion_page(BEFORE, AFTER))
@given(
    text=_text,
    language=st.sampled_from([None, "id", "en", "ko", "zz"]),
    page=st.sampled_from([None, _insertion_page(BEFORE, AFTER)]),
)
def test_cleaning_is_idempotent_and_never_adds_text(
    text: str, language: str | None, page: str | None
) -> None:
    once = strip_boilerplate(text, language=language, html=page)
    twice = strip_boilerplate(once.text, language=language, html=page)
    assert twice.text == once.text
    assert twice.removed == []

    # Every output line is what is left of one input line, in order, after deletions only.
    inputs = iter(text.split("\n"))
    for output_line in once.text.split("\n") if once.text else []:
        assert any(_is_subsequence(output_line, line) for line in inputs), output_line
    positions = [removal.position for removal in once.removed]
    assert positions == sorted(positions) and all(0 <= p < len(text.split("\n")) for p in positions)
