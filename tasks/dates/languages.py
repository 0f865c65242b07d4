"""How dates are written in each language and calendar: digits of every script, month names, CJK and Korean
forms, the Japanese era, the Thai (Buddhist era) and Persian (Solar Hijri) calendars, relative dates ("3 hours
ago", "вчера", "2日前") and the words that mark a date as an update."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, timedelta

from tasks.dates.signal import Signal, valid_day

# Unicode decimal digits of every script -> ASCII
_DIGITS = {
    cp: str(unicodedata.digit(chr(cp)))
    for cp in range(0x0660, 0x1FFFF)
    if unicodedata.category(chr(cp)) == "Nd" and unicodedata.digit(chr(cp), None) is not None
}
_CJK_DIGITS = str.maketrans("〇一二三四五六七八九", "0123456789")


_YMD = re.compile(r"(?<!\d)(\d{4})[./](\d{1,2})[./](\d{1,2})(?!\d)")
_DMY = re.compile(r"(?<!\d)(\d{1,2})[./-](\d{1,2})[./-](\d{4})(?!\d)")
_CJK = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_ERA = re.compile(r"(令和|平成|昭和)\s*(\d{1,2}|元)\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_ERA_BASE = {"令和": 2018, "平成": 1988, "昭和": 1925}
_KOREAN = re.compile(r"(\d{4})\s*[.년]\s*(\d{1,2})\s*[.월]\s*(\d{1,2})\s*[.일]")


_MONTHS = {
    # English, German, French, Spanish, Italian, Portuguese, Indonesian, Dutch (3-letter prefixes are enough)
    **{
        m: i
        for i, m in enumerate(
            ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1
        )
    },
    "mär": 3,
    "mai": 5,
    "okt": 10,
    "dez": 12,
    "janv": 1,
    "févr": 2,
    "fév": 2,
    "mars": 3,
    "avr": 4,
    "juin": 6,
    "juil": 7,
    "août": 8,
    "déc": 12,
    "ene": 1,
    "abr": 4,
    "ago": 8,
    "dic": 12,
    "gen": 1,
    "mag": 5,
    "giu": 6,
    "lug": 7,
    "set": 9,
    "ott": 10,
    "fev": 2,
    "out": 10,
    "dez.": 12,
    "mei": 5,
    "agu": 8,
    "agt": 8,
    "des": 12,
    "okt.": 10,
    "maart": 3,
    # Russian / Ukrainian genitive stems
    "янв": 1,
    "фев": 2,
    "мар": 3,
    "апр": 4,
    "мая": 5,
    "май": 5,
    "июн": 6,
    "июл": 7,
    "авг": 8,
    "сен": 9,
    "окт": 10,
    "ноя": 11,
    "дек": 12,
    "січ": 1,
    "лют": 2,
    "бер": 3,
    "кві": 4,
    "тра": 5,
    "чер": 6,
    "лип": 7,
    "сер": 8,
    "вер": 9,
    "жов": 10,
    "лис": 11,
    "гру": 12,
}
_THAI_MONTHS = {
    m: i
    for i, m in enumerate(
        ["ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.", "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค."], 1
    )
}
_THAI_LONG = {
    m: i
    for i, m in enumerate(
        [
            "มกราคม",
            "กุมภาพันธ์",
            "มีนาคม",
            "เมษายน",
            "พฤษภาคม",
            "มิถุนายน",
            "กรกฎาคม",
            "สิงหาคม",
            "กันยายน",
            "ตุลาคม",
            "พฤศจิกายน",
            "ธันวาคม",
        ],
        1,
    )
}
_PERSIAN_MONTHS = {
    m: i
    for i, m in enumerate(
        [
            "فروردین",
            "اردیبهشت",
            "خرداد",
            "تیر",
            "مرداد",
            "شهریور",
            "مهر",
            "آبان",
            "آذر",
            "دی",
            "بهمن",
            "اسفند",
        ],
        1,
    )
}
_WORD_DMY = re.compile(r"(?<!\d)(\d{1,2})\.?\s+([^\W\d_]{3,10}\.?)\s+(\d{4})(?!\d)")
_WORD_MDY = re.compile(r"\b([^\W\d_]{3,10})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})(?!\d)")
RELATIVE = re.compile(
    r"(\d+)\s*(minute|min|hour|hr|day|week)s?\s+ago|(\d+)\s*(минут|час|дн|день|недел)\w*\s+назад"
    r"|(\d+)\s*(分|時間|日)前|(\d+)\s*(분|시간|일)\s*전|\b(yesterday|today|вчера|сегодня|gestern|heute|hier|aujourd'hui)\b",
    re.I,
)
_REL_UNITS = {
    "minute": 60,
    "min": 60,
    "hour": 3600,
    "hr": 3600,
    "day": 86400,
    "week": 604800,
    "минут": 60,
    "час": 3600,
    "дн": 86400,
    "день": 86400,
    "недел": 604800,
    "分": 60,
    "時間": 3600,
    "日": 86400,
    "분": 60,
    "시간": 3600,
    "일": 86400,
}
UPDATED_WORDS = re.compile(
    r"updated|update|modified|aktualisiert|mis à jour|actualizado|aggiornato|atualizado|обновлено|оновлено|"
    r"更新|수정|แก้ไข|به‌روز|diperbarui",
    re.I,
)


def ascii_digits(text: str) -> str:
    return text.translate(_DIGITS)


def calendar_day(text: str, dayfirst: bool) -> tuple[date, str] | None:
    """A date written in a calendar or a word form: CJK, Japanese era, Korean, Thai (Buddhist era), Persian
    (Solar Hijri), day-month-year words in several languages, numeric day-first or month-first."""
    m = _ERA.search(text)
    if m:
        year = 1 if m[2] == "元" else int(m[2])
        return valid_day(_ERA_BASE[m[1]] + year, int(m[3]), int(m[4])), "japanese-era"
    cjk = text.translate(_CJK_DIGITS)
    m = _CJK.search(cjk)
    if m:
        return valid_day(int(m[1]), int(m[2]), int(m[3])), "cjk"
    m = _KOREAN.search(text)
    if m:
        return valid_day(int(m[1]), int(m[2]), int(m[3])), "cjk"
    for months in (_THAI_MONTHS, _THAI_LONG):
        for name, month in months.items():
            if name in text:
                m = re.search(r"(\d{1,2})\s*" + re.escape(name) + r"\s*(?:พ\.ศ\.\s*)?(\d{2,4})", text)
                if m:
                    year = int(m[2])
                    year = year + 2500 if year < 100 else year
                    return valid_day(year - 543 if year > 2400 else year, month, int(m[1])), "thai"
    for name, month in _PERSIAN_MONTHS.items():
        if name in text:
            m = re.search(r"(\d{1,2})\s*" + re.escape(name) + r"\s*(\d{4})", text)
            if m:
                return _jalali(int(m[2]), month, int(m[1])), "persian"
    m = _YMD.search(text)
    if m:
        y = int(m[1])
        if 1300 <= y <= 1500:  # a Solar Hijri year written numerically (Iranian pages)
            return _jalali(y, int(m[2]), int(m[3])), "persian"
        return valid_day(y, int(m[2]), int(m[3])), "gregorian"
    m = _WORD_DMY.search(text)
    if m and _month(m[2]):
        return valid_day(int(m[3]), _month(m[2]), int(m[1])), "gregorian"
    m = _WORD_MDY.search(text)
    if m and _month(m[1]):
        return valid_day(int(m[3]), _month(m[1]), int(m[2])), "gregorian"
    m = _DMY.search(text)
    if m:
        a, b, y = int(m[1]), int(m[2]), int(m[3])
        if a > 12:
            return valid_day(y, b, a), "gregorian"
        if b > 12:
            return valid_day(y, a, b), "gregorian"
        # ambiguous: the page's language decides (month first in US English); htmldate would guess
        return (valid_day(y, b, a) if dayfirst else valid_day(y, a, b)), "numeric"
    return None


def _jalali(y: int, m: int, d: int) -> date:
    import jdatetime

    g = jdatetime.date(y, m, d).togregorian()
    return valid_day(g.year, g.month, g.day)


def _month(word: str) -> int | None:
    w = word.lower().rstrip(".")
    for n in (len(w), 5, 4, 3):
        if w[:n] in _MONTHS:
            return _MONTHS[w[:n]]
    return None


def relative_signal(text: str, reference: datetime, kind: str = "byline:relative") -> Signal | None:
    """ "3 hours ago", "вчера", "2日前" against `reference` (the fetch time): a day, no better."""
    m = RELATIVE.search(text)
    if not m:
        return None
    if m[9]:
        back = 86400 if m[9].lower() in ("yesterday", "вчера", "gestern", "hier") else 0
    else:
        n, unit = next((m[i], m[i + 1]) for i in (1, 3, 5, 7) if m[i])
        back = int(n) * _REL_UNITS[unit.lower()]
    at = reference - timedelta(seconds=back)
    return Signal(kind, "published", at.date(), None, None, None, m[0])
