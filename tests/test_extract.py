from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tasks.extract import extract_page, parse_datetime

PAGE = """<!doctype html><html lang="id-ID"><head><meta charset="utf-8">
<title>Putin dan Kim Tandatangani Pakta | Kabar Dunia</title>
<meta property="og:site_name" content="Kabar Dunia"><meta name="author" content="Rina Wulandari">
<meta property="article:published_time" content="2024-06-19T16:30:00+07:00">
<link rel="canonical" href="https://kabar.example/internasional/2024/06/19/putin-kim.html"></head>
<body><nav><ul><li><a href="/">Beranda</a></li><li><a href="/nasional">Nasional</a></li></ul></nav>
<div class="cookie">Kami menggunakan cookie untuk meningkatkan pengalaman Anda.</div>
<article><h1>Putin dan Kim Tandatangani Pakta</h1>
<p>Presiden Rusia Vladimir Putin dan pemimpin Korea Utara Kim Jong Un menandatangani pakta kemitraan strategis di Pyongyang.</p>
<p>Perjanjian itu memuat klausul saling membantu jika salah satu negara diserang, kata media pemerintah Korea Utara.</p>
</article><aside><h3>Terpopuler</h3><ol><li><a href="/x">Harga cabai naik</a></li></ol></aside>
<footer>© 2024 Kabar Dunia</footer></body></html>"""


def test_text_and_metadata():
    page = extract_page(PAGE, "https://kabar.example/internasional/2024/06/19/putin-kim.html?utm_source=rss")
    assert page.title == "Putin dan Kim Tandatangani Pakta"
    assert page.text.splitlines()[0].startswith("Presiden Rusia Vladimir Putin")
    assert len(page.text.splitlines()) == 2
    assert "Beranda" not in page.text and "cookie" not in page.text and "Harga cabai" not in page.text
    assert page.published == datetime(2024, 6, 19, 9, 30, tzinfo=UTC)
    assert page.language == "id"
    assert page.site == "Kabar Dunia"
    assert page.authors == ["Rina Wulandari"]
    assert page.canonical_url == "https://kabar.example/internasional/2024/06/19/putin-kim.html"
    assert page.method == "trafilatura" and not page.is_amp


def test_amp_page_is_recognised():
    amp = PAGE.replace('<html lang="id-ID">', '<html amp lang="id">')
    assert extract_page(amp, "https://kabar.example/amp/x.html").is_amp


def test_soup_fallback_for_pages_trafilatura_rejects():
    html = "<html><body><div><p>Short one.</p><p>Short two.</p></div></body></html>"
    page = extract_page(html, "https://a.example/x.html")
    assert page.text.splitlines() == ["Short one.", "Short two."]
    assert page.method in ("trafilatura", "soup")


@pytest.mark.parametrize(
    "html", ["", "<<<>>>", "\x00\x01binary\xff", "<html><body></body></html>", "<p>unclosed <b>tags"]
)
def test_broken_html_never_raises(html):
    page = extract_page(html, "https://a.example/x.html")
    assert isinstance(page.text, str)


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=400))
def test_any_text_is_survivable(html):
    extract_page(html, "https://a.example/x.html")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-06-19T16:30:00+07:00", datetime(2024, 6, 19, 9, 30, tzinfo=UTC)),
        ("2024-06-19T09:30:00Z", datetime(2024, 6, 19, 9, 30, tzinfo=UTC)),
        ("2024-06-19", datetime(2024, 6, 19, tzinfo=UTC)),
        ("19 June 2024", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_datetime(value, expected):
    assert parse_datetime(value) == expected
