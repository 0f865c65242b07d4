"""Text from response bodies: declared, sniffed and guessed charsets, BOM-less UTF-16/32, mojibake checks.

Pure functions of the bytes and the Content-Type charset, tested without a server.
"""

from __future__ import annotations

import codecs
import re

import charset_normalizer
from charset_normalizer.md import mess_ratio

# <meta charset=...>, <meta http-equiv content="...; charset=..."> and <?xml ... encoding="..."?>
_DECLARED_CHARSET = re.compile(
    rb"""<meta[^>]*?charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]+)|<\?xml[^>]*?encoding\s*=\s*["']([a-zA-Z0-9_.:-]+)""",
    re.IGNORECASE,
)

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: it starts with the same two bytes
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Browsers read these labels as windows-1252 (WHATWG Encoding Standard); servers that say iso-8859-1 mostly
# mean that, and "curly quotes" in 0x80-0x9F then come out right.
_WINDOWS_1252_LABELS = frozenset({"iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1", "ascii", "us-ascii"})

# Encodings whose bytes are 7-bit, so a valid-UTF-8 test says nothing about them.
_SEVEN_BIT_CODECS = ("iso2022", "utf_7", "hz")

_NON_ASCII_WORD = re.compile(r"[^\s<>\"'=]*[^\x00-\x7f][^\s<>\"'=]*")
_MESS_LIMIT = 0.2  # charset_normalizer's own cut-off between readable text and mojibake


def declared_charsets(body: bytes) -> list[str]:
    """Charsets the document declares about itself (meta tags, XML declaration), in document order."""
    head = body[:4096]
    return [(m.group(1) or m.group(2)).decode("ascii").lower() for m in _DECLARED_CHARSET.finditer(head)]


def _codec_name(label: str) -> str | None:
    label = label.strip().lower()
    if label in _WINDOWS_1252_LABELS:
        label = "cp1252"
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def _plausible(text: str) -> bool:
    """True unless the non-ASCII words read like mojibake.

    Only words with non-ASCII letters are judged: markup, scripts and styles are ASCII in any encoding and
    would otherwise dilute a page full of mojibake into a low mess ratio.
    """
    words = " ".join(_NON_ASCII_WORD.findall(text))
    return not words or mess_ratio(words, _MESS_LIMIT) < _MESS_LIMIT


def _decode_strict(body: bytes, codec: str) -> str | None:
    try:
        return body.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def utf16_32_without_bom(body: bytes) -> str | None:
    """The UTF-16/32 codec a BOM-less body is written in, told by where its NUL bytes sit; None if not so.

    Markup is mostly ASCII, so UTF-16 LE puts a NUL after nearly every other byte and UTF-32 LE three NULs
    after each; single-byte and UTF-8 text has no NULs at all. Valid UTF-8 does not rule this out: NULs are
    valid UTF-8, which is how a UTF-16 page used to come out as "text" full of NULs.
    """
    head = body[:4096]
    head = head[: len(head) - len(head) % 4]
    zeros = head.count(0)
    if len(head) < 8 or zeros < max(4, len(head) // 50):
        return None

    def share_zero(offset: int, step: int) -> float:
        lane = head[offset::step]
        return lane.count(0) / len(lane)

    def zeros_in(offset: int, step: int) -> float:
        return head[offset::step].count(0) / zeros

    if share_zero(2, 4) > 0.95 and share_zero(3, 4) > 0.95 and share_zero(0, 4) < 0.5:
        candidates = ["utf-32-le"]
    elif share_zero(0, 4) > 0.95 and share_zero(1, 4) > 0.95 and share_zero(3, 4) < 0.5:
        candidates = ["utf-32-be"]
    elif zeros_in(1, 2) > 0.95:
        candidates = ["utf-16-le"]
    elif zeros_in(0, 2) > 0.95:
        candidates = ["utf-16-be"]
    else:
        return None
    codec = candidates[0]
    usable = body[: len(body) - len(body) % (4 if codec.startswith("utf-32") else 2)]
    text = _decode_strict(usable, codec)
    return codec if text is not None and "\x00" not in text and _plausible(text) else None


def decode_text(body: bytes, header_charset: str | None = None) -> tuple[str, str]:
    """Decode a page body to (text, codec name used); never fails. See `decode_body`."""
    text, codec, _ = decode_body(body, header_charset)
    return text, codec


def decode_body(body: bytes, header_charset: str | None = None) -> tuple[str, str, str]:
    """Decode a page body to (text, codec name, reason for the choice); never fails.

    Order, with the reason recorded: a BOM ("bom"); UTF-16/32 told by its NUL pattern ("nul_pattern"); a
    declared 7-bit codec ("declared_7bit"); UTF-8 when the bytes are valid UTF-8 ("valid_utf8": wrongly
    declared UTF-8 pages are common, and non-UTF-8 text is almost never valid UTF-8 by accident); the
    charset declared in the HTTP header or the document when it decodes cleanly and does not read like
    mojibake ("header" / "declared"); charset_normalizer's guess ("detected"); UTF-8 with replacement
    characters as the last resort ("fallback").
    """
    for bom, codec in _BOMS:
        if body.startswith(bom):
            return body[len(bom) :].decode(codec, errors="replace"), codec, "bom"

    wide = utf16_32_without_bom(body)
    if wide is not None:
        return body.decode(wide, errors="replace"), codecs.lookup(wide).name, "nul_pattern"

    header = _codec_name(header_charset) if header_charset else None
    declared = [
        c for label in (header_charset, *declared_charsets(body)) if label and (c := _codec_name(label))
    ]
    seven_bit = [c for c in declared if c.startswith(_SEVEN_BIT_CODECS)]
    for codec in seven_bit:
        text = _decode_strict(body, codec)
        if text is not None and _plausible(text):
            return text, codec, "declared_7bit"

    text = _decode_strict(body, "utf-8")
    if text is not None:
        return text, "utf-8", "valid_utf8"

    for codec in declared:
        if codec.startswith(("utf_16", "utf_32")):  # without a BOM or NUL pattern these labels are wrong
            continue
        text = _decode_strict(body, codec)
        if text is not None and _plausible(text):
            return text, codec, "header" if codec == header else "declared"

    guess = charset_normalizer.from_bytes(body).best()
    if guess is not None:
        return str(guess), codecs.lookup(guess.encoding).name, "detected"
    return body.decode("utf-8", errors="replace"), "utf-8", "fallback"
