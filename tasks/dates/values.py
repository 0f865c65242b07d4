"""Reading one date value, machine- or human-written, into a `Signal`: ISO 8601 with its clock and UTC offset,
epoch seconds, calendar and word forms (`tasks.dates.languages`), other machine forms (RFC 822, `date`
output) through python-dateutil; a value that cannot be read raises ValueError with the reason, and
`add_value` records it as dropped instead."""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, date, datetime, timedelta, timezone

from tasks.dates.languages import ascii_digits, calendar_day
from tasks.dates.signal import PageDates, Signal, valid_day

_ISO = re.compile(
    r"(?<!\d)(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{1,2})(?:[.,]\d+)?)?\s*(Z|[+-]\d{2}:?\d{2}|UTC|GMT)?)?"
)


_CLOCK = re.compile(r"(?<!\d)(\d{1,2})[:：](\d{2})(?::(\d{2}))?(?!\d)")


def _offset(token: str | None) -> int | None:
    if not token:
        return None
    if token in ("Z", "UTC", "GMT"):
        return 0
    sign = -1 if token[0] == "-" else 1
    digits = token[1:].replace(":", "")
    minutes = int(digits[:2]) * 60 + int(digits[2:4])
    if minutes > 14 * 60:
        raise ValueError(f"offset {token} out of range")
    return sign * minutes


def _signal(kind: str, role: str, day: date, clock: tuple | None, offset: int | None, raw: str) -> Signal:
    if clock is None:
        return Signal(kind, role, day, None, None, offset, raw)
    local = datetime(day.year, day.month, day.day, *clock)
    at = None
    if offset is not None:
        at = local.replace(tzinfo=timezone(timedelta(minutes=offset))).astimezone(UTC)
    return Signal(kind, role, day, at, local, offset, raw)


def parse_value(value: str, kind: str = "value", role: str = "published", *, dayfirst: bool = True) -> Signal:
    """One machine- or human-written date -> Signal. Raises ValueError (with the reason) when unreadable."""
    text = ascii_digits(unicodedata.normalize("NFKC", value)).strip()
    if not text:
        raise ValueError("empty")
    if kind == "byline" and ascii_digits(value) != value:
        kind = "byline:numerals"  # digits of another script: htmldate cannot read them
    m = _ISO.search(text)
    if m:
        y, mo, d = int(m[1]), int(m[2]), int(m[3])
        day = valid_day(y, mo, d)
        clock = None
        if m[4] is not None:
            clock = (int(m[4]), int(m[5]), int(m[6] or 0))
            if clock[0] > 23 or clock[1] > 59 or clock[2] > 59:
                raise ValueError("time out of range")
        offset = _offset(m[7])
        if offset is None and clock is not None:
            offset = _loose_offset(text[m.end() :])
        return _signal(kind, role, day, clock, offset, value)
    if text.isdigit() and len(text) in (10, 13):  # epoch seconds / milliseconds
        seconds = int(text) / (1000 if len(text) == 13 else 1)
        at = datetime.fromtimestamp(seconds, UTC)
        valid_day(at.year, 1, 1)
        return Signal(kind, role, at.date(), at, at.replace(tzinfo=None), 0, value)
    found = calendar_day(text, dayfirst)
    if found is None and not kind.startswith("byline"):
        return _free_form(text, kind, role, value, dayfirst)
    if found is None:
        raise ValueError("no date")
    day, calendar = found
    if calendar != "gregorian" and kind.startswith("byline"):
        kind = f"byline:{calendar}"
    clock_m = _CLOCK.search(text)
    clock = (
        (int(clock_m[1]), int(clock_m[2]), int(clock_m[3] or 0)) if clock_m and int(clock_m[1]) < 24 else None
    )
    if clock and re.search(r"\b(pm|p\.m\.)|오후|午後", text, re.I) and clock[0] < 12:
        clock = (clock[0] + 12, *clock[1:])
    offset = _loose_offset(text[clock_m.end() :]) if clock_m else None
    return _signal(kind, role, day, clock, offset, value)


_TZ_NAMES = {
    "UTC": 0,
    "GMT": 0,
    "WET": 0,
    "BST": 60,
    "CET": 60,
    "CEST": 120,
    "MEZ": 60,
    "MESZ": 120,
    "EET": 120,
    "EEST": 180,
    "MSK": 180,
    "IST": 330,
    "JST": 540,
    "KST": 540,
    "EST": -300,
    "EDT": -240,
    "CST": -360,
    "CDT": -300,
    "MST": -420,
    "MDT": -360,
    "PST": -480,
    "PDT": -420,
    "AEST": 600,
    "AEDT": 660,
}


def _free_form(text: str, kind: str, role: str, value: str, dayfirst: bool) -> Signal:
    """Markup values in other machine forms ("Tue Jan 28 15:28:56 CET 2020", RFC 822): python-dateutil."""
    from dateutil import parser

    try:
        parsed = parser.parse(text, dayfirst=dayfirst, tzinfos={k: v * 60 for k, v in _TZ_NAMES.items()})
    except (ValueError, OverflowError, parser.ParserError) as exc:
        raise ValueError("no date") from exc
    day = valid_day(parsed.year, parsed.month, parsed.day)
    offset = int(parsed.utcoffset().total_seconds() // 60) if parsed.tzinfo else None
    return _signal(kind, role, day, (parsed.hour, parsed.minute, parsed.second), offset, value)


def _loose_offset(tail: str) -> int | None:
    m = re.match(r"\s*(?:(Z|UTC|GMT)\s*)?([+-]\d{2}:?\d{2})?", tail)
    if m and m[2]:
        return _offset(m[2])
    if m and m[1]:
        return 0
    return None


def add_value(out: PageDates, kind: str, role: str, value, dayfirst: bool = True) -> None:
    if value is None:
        return
    if not isinstance(value, str):
        value = str(value)
    try:
        out.signals.append(parse_value(value, kind, role, dayfirst=dayfirst))
    except (ValueError, OverflowError, KeyError) as exc:
        out.dropped.append((kind, value[:80], str(exc) or type(exc).__name__))
