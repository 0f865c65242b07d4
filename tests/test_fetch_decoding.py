"""Charsets: bodies declared wrongly or not at all come out readable, the raw bytes are kept and the decision
is recorded with its reason."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tasks.decoding import decode_text
from tests.fetch_support import RUSSIAN, fetch, html
from tests.httpfixture import LoopbackServer, page


@pytest.fixture
def server() -> Iterator[LoopbackServer]:
    s = LoopbackServer("127.0.0.1")
    yield s
    s.close()


# --- encodings ------------------------------------------------------------------------------------


@pytest.mark.parametrize("actual", ["utf-8", "cp1251"])
def test_russian_declared_as_latin1_comes_out_readable(server: LoopbackServer, actual: str) -> None:
    url = server.route("/ru", page(html(RUSSIAN, actual), content_type="text/html; charset=iso-8859-1"))
    r = fetch(url)
    assert r.ok and RUSSIAN in (r.text or "")
    assert r.encoding == actual


def test_meta_charset_is_used_when_the_header_has_none(server: LoopbackServer) -> None:
    body = html(
        RUSSIAN, "koi8-r", meta='<meta http-equiv="Content-Type" content="text/html; charset=koi8-r">'
    )
    url = server.route("/koi", page(body, content_type="text/html"))
    r = fetch(url)
    assert r.encoding == "koi8-r" and RUSSIAN in (r.text or "")


def test_decode_text_keeps_honest_latin1() -> None:
    french = "Le traité signé à Pyongyang: « une étape décisive » pour Moscou et Pyongyang."
    text, encoding = decode_text(html(french, "latin-1"), "iso-8859-1")
    assert french in text and encoding == "cp1252"


def test_decode_text_finds_korean_behind_a_wrong_label() -> None:
    korean = "러시아와 북한은 포괄적 전략적 동반자 관계 조약에 서명했다. 국가정보원은 파병을 확인했다."
    text, _ = decode_text(html(korean, "euc-kr"), "iso-8859-1")
    assert korean in text


def test_decode_text_honours_a_bom_and_xml_declaration() -> None:
    assert decode_text(b"\xff\xfe" + "<p>Пхеньян</p>".encode("utf-16-le"), "iso-8859-1") == (
        "<p>Пхеньян</p>",
        "utf-16-le",
    )
    feed = f'<?xml version="1.0" encoding="windows-1251"?><rss><title>{RUSSIAN}</title></rss>'.encode(
        "cp1251"
    )
    assert decode_text(feed) == (feed.decode("cp1251"), "cp1251")


@settings(max_examples=60, deadline=None)
@given(
    st.binary(max_size=300), st.sampled_from([None, "utf-8", "iso-8859-1", "bogus", "utf-16", "shift_jis"])
)
def test_decode_text_never_fails(body: bytes, charset: str | None) -> None:
    text, encoding = decode_text(body, charset)
    assert isinstance(text, str) and encoding


# --- raw bytes and the charset decision -----------------------------------------------------------------


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"])
def test_utf16_and_32_without_bom_are_detected(server: LoopbackServer, codec: str) -> None:
    raw = html(RUSSIAN, codec)
    url = server.route("/a", page(raw, content_type="text/html"))
    r = fetch(url)
    assert r.ok and r.body == raw
    assert r.encoding == codec and r.encoding_reason == "nul_pattern"
    assert RUSSIAN in (r.text or "") and "\x00" not in (r.text or "")


def test_the_charset_decision_is_recorded_with_its_reason(server: LoopbackServer) -> None:
    cp1251 = html(RUSSIAN, "cp1251")
    url = server.route("/a", page(cp1251, content_type="text/html; charset=windows-1251"))
    r = fetch(url)
    assert (r.body, r.encoding, r.encoding_reason) == (cp1251, "cp1251", "header")
    utf8 = server.route("/b", page(html(RUSSIAN), content_type="text/html"))
    assert fetch(utf8).encoding_reason == "valid_utf8"
