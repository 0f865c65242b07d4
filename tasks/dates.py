"""Publication dates: every signal a page and its sources give, and the one chosen, in the publisher's own time.

Order of trust for the page itself: structured data (JSON-LD `datePublished`, Open Graph / `article:*` and other
date meta, microdata, `<time datetime>` marked as the publication time), then a date the text labels as published
("Veröffentlicht am", "Published:", "Datum:"), other `<time>` elements, a dated byline of the article (any calendar
or script, relative dates such as "3 hours ago"), a generic `<meta name="date">`, then htmldate's extensive search,
then a date in the URL path. Modified dates (`dateModified`, `article:modified_time`, "Updated ...") are kept as
signals of their own and never become the publication date.

Values keep the wall-clock time and UTC offset the page gives; the day a page counts for is the publisher's local
day (the date as written, in the page's own offset). A value that cannot be read or is out of range is dropped with
a recorded reason, never raised. Sources outside the page (feed / sitemap dates, GDELT's seen time, the first
archive capture, newsmon's own first fetch) are signals too; no publication date is later than the first capture.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta, timezone

from htmldate import find_date
from lxml import etree
from lxml.html import HtmlElement

MIN_YEAR, MAX_YEAR = 1990, 2100  # news pages: anything outside is a template default or a poison value

PUBLISHED_META = (
    "article:published_time",
    "og:published_time",
    "og:article:published_time",
    "datepublished",
    "article.published",
    "published_time",
    "published-date",
    "publish-date",
    "publish_date",
    "publishdate",
    "pubdate",
    "parsely-pub-date",
    "sailthru.date",
    "dc.date.issued",
    "dcterms.issued",
    "dc.date.created",
    "dcterms.created",
    "datecreated",
    "article:published",
    "date",
    "dc.date",
    "cxenseparse:recs:publishtime",
)
MODIFIED_META = (
    "article:modified_time",
    "og:updated_time",
    "datemodified",
    "article.updated",
    "last-modified",
    "dc.date.modified",
    "dcterms.modified",
)
_PUBLISHED_KEYS = ("datePublished", "dateCreated", "uploadDate")
_ARTICLE_TYPES = ("article", "posting", "report", "blog", "webpage", "liveblog")

# Unicode decimal digits of every script -> ASCII
_DIGITS = {
    cp: str(unicodedata.digit(chr(cp)))
    for cp in range(0x0660, 0x1FFFF)
    if unicodedata.category(chr(cp)) == "Nd" and unicodedata.digit(chr(cp), None) is not None
}
_CJK_DIGITS = str.maketrans("〇一二三四五六七八九", "0123456789")

_ISO = re.compile(
    r"(?<!\d)(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{1,2})(?:[.,]\d+)?)?\s*(Z|[+-]\d{2}:?\d{2}|UTC|GMT)?)?"
)
_YMD = re.compile(r"(?<!\d)(\d{4})[./](\d{1,2})[./](\d{1,2})(?!\d)")
_DMY = re.compile(r"(?<!\d)(\d{1,2})[./-](\d{1,2})[./-](\d{4})(?!\d)")
_CJK = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_ERA = re.compile(r"(令和|平成|昭和)\s*(\d{1,2}|元)\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_ERA_BASE = {"令和": 2018, "平成": 1988, "昭和": 1925}
_KOREAN = re.compile(r"(\d{4})\s*[.년]\s*(\d{1,2})\s*[.월]\s*(\d{1,2})\s*[.일]")
_CLOCK = re.compile(r"(?<!\d)(\d{1,2})[:：](\d{2})(?::(\d{2}))?(?!\d)")
_URL_DATE = re.compile(r"/((?:19|20)\d{2})[/_-]?(0[1-9]|1[0-2])[/_-]?(0[1-9]|[12]\d|3[01])(?:[/_.-]|$)")
_URL_YM = re.compile(r"/((?:19|20)\d{2})/(0[1-9]|1[0-2])/")

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
_RELATIVE = re.compile(
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
_UPDATED_WORDS = re.compile(
    r"updated|update|modified|aktualisiert|mis à jour|actualizado|aggiornato|atualizado|обновлено|оновлено|"
    r"更新|수정|แก้ไข|به‌روز|diperbarui",
    re.I,
)
_BYLINE_XPATH = etree.XPath(
    "//*[@class][contains(@class,'date') or contains(@class,'Date') or contains(@class,'time') or contains(@class,'publish')"
    " or contains(@class,'byline') or contains(@class,'meta') or contains(@class,'posted')][not(*[4])]"
)
_NOT_BYLINE = re.compile(r"comment|reply|respon|forum|sidebar|widget|related|footer|kommentar", re.I)

# A date the page's text labels as the publication (or modification) date: "Veröffentlicht am 16.08.2019",
# "Erschienen am: 01.11.2023", "Published: ...", "Datum: 03.02.2022", "Publié le ...". A label names what the date
# is, which no search by position (htmldate's) knows; it is read after the page's structured data.
_PUBLISHED_LABEL = (
    r"ver(?:ö|oe)ffentlicht(?:\s+am)?|erschienen(?:\s+am)?|erstellt(?:\s+am)?|publiziert(?:\s+am)?|datum(?=\s*[:\d])"
    r"|(?:first\s+)?published(?:\s+on)?|posted(?:\s+on)?|written(?:\s+on)?\s*:|date(?=\s*[:\d])"
    r"|publi(?:é|e)(?:\s+le)?|mis\s+en\s+ligne(?:\s+le)?|publicado(?:\s+(?:el|em))?|fecha(?=\s*[:\d])|pubblicato(?:\s+il)?"
    r"|gepubliceerd(?:\s+op)?|geplaatst(?:\s+op)?|опубликовано|дата\s+публикации|opublikowano"
    r"|yay(?:ı|i)n(?:lanma)?\s+tarihi|diterbitkan|dipublikasikan"
)
_MODIFIED_LABEL = (
    r"(?:last\s+)?updated(?:\s+on)?|(?:last\s+)?modified|aktualisiert(?:\s+am)?|letzte\s+(?:ä|ae)nderung"
    r"|ge(?:ä|ae)ndert(?:\s+am)?|stand\s*:|mis\s+(?:à|a)\s+jour(?:\s+le)?|actualizado(?:\s+el)?|aggiornato(?:\s+il)?"
    r"|atualizado(?:\s+em)?|bijgewerkt(?:\s+op)?|обновлено|güncelleme|diperbarui"
)
_LABEL = re.compile(
    rf"(?<![^\W\d_])(?:(?P<pub>{_PUBLISHED_LABEL})|(?P<mod>{_MODIFIED_LABEL}))(?![^\W\d_])\s*:?\s*", re.I
)
# every text of the body; those of its scripts and styles are left out (a plain path and a walk over the code
# elements are several times faster than one path with an ancestor test)
_TEXT_NODES = etree.XPath("/html/body//text()", smart_strings=False)
# words every label holds (lower case): only the text around them is tried against _LABEL, which is slow to run
# over a whole page
_LABEL_STEMS = (
    "ffentlicht",
    "erschienen",
    "erstellt",
    "publi",
    "datum",
    "posted",
    "written",
    "date",
    "mis en ligne",
    "fecha",
    "geplaatst",
    "опубликовано",
    "дата",
    "yay",
    "diterbitkan",
    "modified",
    "aktualisiert",
    "nderung",
    "ndert",
    "stand",
    "mis à jour",
    "mis a jour",
    "actualizado",
    "aggiornato",
    "atualizado",
    "bijgewerkt",
    "обновлено",
    "güncelleme",
    "diperbarui",
)


@dataclass(frozen=True)
class Signal:
    """One date some evidence gives for a page."""

    kind: str  # jsonld:datePublished, meta:article:published_time, time, byline, htmldate, url, feed, archive, ...
    role: str  # published | modified | seen (a time the page already existed: fetch, archive capture)
    day: date  # the publisher's local day (the date as written)
    at: datetime | None = None  # the instant, aware UTC; None when only a day is known
    local: datetime | None = None  # wall-clock time as written (naive)
    offset_min: int | None = None  # UTC offset as written, minutes; None when the value has no offset
    raw: str = ""

    @property
    def instant(self) -> datetime:
        """The instant; a zoneless wall-clock time is taken as UTC, a bare day as its start in UTC."""
        if self.at is not None:
            return self.at
        if self.local is not None:
            return self.local.replace(tzinfo=UTC)
        return datetime(self.day.year, self.day.month, self.day.day, tzinfo=UTC)


@dataclass
class PageDates:
    signals: list[Signal] = field(default_factory=list)
    dropped: list[tuple[str, str, str]] = field(default_factory=list)  # (kind, raw value, reason)

    def first(self, role: str) -> Signal | None:
        return next((s for s in self.signals if s.role == role), None)


@dataclass
class DateChoice:
    """The publication date chosen for an article, the rule that chose it and how far the evidence agrees."""

    signal: Signal | None
    rule: str  # the chosen signal's kind, "capped:<kind>" when the first capture was earlier, or "none"
    confidence: float
    signals: list[Signal]
    dropped: list[tuple[str, str, str]]
    modified: Signal | None = None
    disagreement_days: int = 0  # spread of the published days the signals name

    @property
    def published_at(self) -> datetime | None:
        return self.signal.instant if self.signal else None

    @property
    def day(self) -> date | None:
        return self.signal.day if self.signal else None

    @property
    def disagrees(self) -> bool:
        return self.disagreement_days > 1

    def days(self) -> set[date]:
        """Every publication day any signal names (what a backfill finds the article by)."""
        named = {s.day for s in self.signals if s.role == "published"}
        return named | ({self.day} if self.day else set())


# -- reading one value ------------------------------------------------------------------------------------------
def ascii_digits(text: str) -> str:
    return text.translate(_DIGITS)


def _valid(y: int, m: int, d: int) -> date:
    if not MIN_YEAR <= y <= MAX_YEAR:
        raise ValueError(f"year {y} out of range")
    return date(y, m, d)


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
        day = _valid(y, mo, d)
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
        _valid(at.year, 1, 1)
        return Signal(kind, role, at.date(), at, at.replace(tzinfo=None), 0, value)
    found = _calendar_day(text, dayfirst)
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
    day = _valid(parsed.year, parsed.month, parsed.day)
    offset = int(parsed.utcoffset().total_seconds() // 60) if parsed.tzinfo else None
    return _signal(kind, role, day, (parsed.hour, parsed.minute, parsed.second), offset, value)


def _loose_offset(tail: str) -> int | None:
    m = re.match(r"\s*(?:(Z|UTC|GMT)\s*)?([+-]\d{2}:?\d{2})?", tail)
    if m and m[2]:
        return _offset(m[2])
    if m and m[1]:
        return 0
    return None


def _calendar_day(text: str, dayfirst: bool) -> tuple[date, str] | None:
    """A date written in a calendar or a word form: CJK, Japanese era, Korean, Thai (Buddhist era), Persian
    (Solar Hijri), day-month-year words in several languages, numeric day-first or month-first."""
    m = _ERA.search(text)
    if m:
        year = 1 if m[2] == "元" else int(m[2])
        return _valid(_ERA_BASE[m[1]] + year, int(m[3]), int(m[4])), "japanese-era"
    cjk = text.translate(_CJK_DIGITS)
    m = _CJK.search(cjk)
    if m:
        return _valid(int(m[1]), int(m[2]), int(m[3])), "cjk"
    m = _KOREAN.search(text)
    if m:
        return _valid(int(m[1]), int(m[2]), int(m[3])), "cjk"
    for months in (_THAI_MONTHS, _THAI_LONG):
        for name, month in months.items():
            if name in text:
                m = re.search(r"(\d{1,2})\s*" + re.escape(name) + r"\s*(?:พ\.ศ\.\s*)?(\d{2,4})", text)
                if m:
                    year = int(m[2])
                    year = year + 2500 if year < 100 else year
                    return _valid(year - 543 if year > 2400 else year, month, int(m[1])), "thai"
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
        return _valid(y, int(m[2]), int(m[3])), "gregorian"
    m = _WORD_DMY.search(text)
    if m and _month(m[2]):
        return _valid(int(m[3]), _month(m[2]), int(m[1])), "gregorian"
    m = _WORD_MDY.search(text)
    if m and _month(m[1]):
        return _valid(int(m[3]), _month(m[1]), int(m[2])), "gregorian"
    m = _DMY.search(text)
    if m:
        a, b, y = int(m[1]), int(m[2]), int(m[3])
        if a > 12:
            return _valid(y, b, a), "gregorian"
        if b > 12:
            return _valid(y, a, b), "gregorian"
        # ambiguous: the page's language decides (month first in US English); htmldate would guess
        return (_valid(y, b, a) if dayfirst else _valid(y, a, b)), "numeric"
    return None


def _jalali(y: int, m: int, d: int) -> date:
    import jdatetime

    g = jdatetime.date(y, m, d).togregorian()
    return _valid(g.year, g.month, g.day)


def _month(word: str) -> int | None:
    w = word.lower().rstrip(".")
    for n in (len(w), 5, 4, 3):
        if w[:n] in _MONTHS:
            return _MONTHS[w[:n]]
    return None


def relative_signal(text: str, reference: datetime, kind: str = "byline:relative") -> Signal | None:
    """ "3 hours ago", "вчера", "2日前" against `reference` (the fetch time): a day, no better."""
    m = _RELATIVE.search(text)
    if not m:
        return None
    if m[9]:
        back = 86400 if m[9].lower() in ("yesterday", "вчера", "gestern", "hier") else 0
    else:
        n, unit = next((m[i], m[i + 1]) for i in (1, 3, 5, 7) if m[i])
        back = int(n) * _REL_UNITS[unit.lower()]
    at = reference - timedelta(seconds=back)
    return Signal(kind, "published", at.date(), None, None, None, m[0])


# -- reading a page ---------------------------------------------------------------------------------------------
def _jsonld(tree: HtmlElement, out: PageDates) -> None:
    for script in tree.xpath('//script[@type="application/ld+json"]'):
        try:
            data = json.loads(script.text_content() or "null")
        except (ValueError, RecursionError):
            out.dropped.append(("jsonld", (script.text_content() or "")[:80], "invalid JSON"))
            continue
        for node in sorted(_walk(data), key=_article_first):
            for key in _PUBLISHED_KEYS:
                _add(out, f"jsonld:{key}", "published", node.get(key))
            _add(out, "jsonld:dateModified", "modified", node.get("dateModified"))


def _walk(data, depth: int = 0):
    if depth > 6:
        return
    if isinstance(data, list):
        for item in data:
            yield from _walk(item, depth + 1)
    elif isinstance(data, dict):
        if any(k in data for k in (*_PUBLISHED_KEYS, "dateModified")):
            yield data
        for key in ("@graph", "mainEntity", "mainEntityOfPage", "itemListElement"):
            if key in data:
                yield from _walk(data[key], depth + 1)


def _article_first(node: dict) -> int:
    kind = node.get("@type", "")
    kind = " ".join(kind) if isinstance(kind, list) else str(kind)
    return 0 if any(t in kind.lower() for t in _ARTICLE_TYPES) else 1


def _add(out: PageDates, kind: str, role: str, value, dayfirst: bool = True) -> None:
    if value is None:
        return
    if not isinstance(value, str):
        value = str(value)
    try:
        out.signals.append(parse_value(value, kind, role, dayfirst=dayfirst))
    except (ValueError, OverflowError, KeyError) as exc:
        out.dropped.append((kind, value[:80], str(exc) or type(exc).__name__))


def _meta(tree: HtmlElement, out: PageDates, microdata: bool = True) -> None:
    wanted = {**{n: "published" for n in PUBLISHED_META}, **{n: "modified" for n in MODIFIED_META}}
    found: dict[str, list[tuple[str, str]]] = {}
    for node in tree.iter("meta"):
        name = (
            node.get("property") or node.get("name") or node.get("itemprop") or node.get("http-equiv") or ""
        )
        name = name.strip().lower()
        if name in wanted and node.get("content"):
            found.setdefault(name, []).append((node.get("content"), name))
    # microdata on other elements: <span itemprop="datePublished" content="2022-01-14 10:31:00">Januar 2022</span>
    for node in _ITEMPROP_DATES(tree) if microdata else ():
        if node.tag in ("meta", "time"):
            continue
        name = (node.get("itemprop") or "").strip().lower()
        value = node.get("content") or node.get("datetime")
        if name in wanted and value and value.strip():
            found.setdefault(name, []).append((value, name))
    for name in (*PUBLISHED_META, *MODIFIED_META):
        for content, _ in found.get(name, [])[:1]:
            _add(out, f"meta:{name}", wanted[name], content)


_ITEMPROP_DATES = etree.XPath(
    "//@itemprop[.='datePublished' or .='dateCreated' or .='dateModified']/..", smart_strings=False
)


def _times(tree: HtmlElement, out: PageDates, dayfirst: bool = True) -> None:
    marked, plain = [], []
    for node in tree.iter("time"):
        value = node.get("datetime") or ""
        if not value.strip():
            # no machine value: the element's own text ("29.04.2020, 12:01 Uhr"), read as the page's language would
            text = " ".join(node.text_content().split())
            if not text or len(text) > 60 or not any(c.isdigit() for c in text):
                continue
            try:
                parse_value(text, "byline", dayfirst=dayfirst)  # a calendar date, not a bare clock time
            except (ValueError, OverflowError, KeyError):
                continue
            value = text
        label = " ".join(
            filter(
                None, [node.get("itemprop"), node.get("class"), node.get("pubdate"), node.get("data-type")]
            )
        ).lower()
        context = (node.getparent().text_content() if node.getparent() is not None else "")[:80]
        if "modif" in label or "updat" in label or _UPDATED_WORDS.search(context):
            _add(out, "time:modified", "modified", value)
        elif "pub" in label or "datepublished" in label or "created" in label:
            marked.append(value)
        else:
            plain.append(value)
    for value in marked[:1]:
        _add(out, "time:published", "published", value, dayfirst)
    for value in plain[:1]:
        _add(out, "time", "published", value, dayfirst)


def _byline(tree: HtmlElement, out: PageDates, reference: datetime | None, dayfirst: bool) -> Signal | None:
    """The first dated byline in the page's text (modified ones are added to `out` as such); None if none."""
    for node in _BYLINE_XPATH(tree)[:30]:
        text = " ".join(node.text_content().split())
        if not text or len(text) > 120 or not (any(c.isdigit() for c in text) or _RELATIVE.search(text)):
            continue
        role = "modified" if _UPDATED_WORDS.search(text) else "published"
        try:
            sig = parse_value(text, "byline", role, dayfirst=dayfirst)
        except (ValueError, OverflowError, KeyError):
            sig = relative_signal(text, reference) if reference is not None and role == "published" else None
        ancestors = list(node.iterancestors())
        tags = {a.tag for a in ancestors}
        if (
            sig is None
            or any(_NOT_BYLINE.search((a.get("class") or "") + " " + (a.get("id") or "")) for a in ancestors)
            # the site's own header or navigation (today's date next to the logo), unless inside the article
            or (tags & {"header", "nav"} and "article" not in tags)
        ):
            continue
        if sig.role == "modified":
            out.signals.append(sig)
            continue
        return sig
    return None


def _labelled(tree: HtmlElement, out: PageDates, dayfirst: bool) -> None:
    """Dates the page's text labels: the first labelled publication date, and the first labelled modified one."""
    body = tree.find("body")
    if body is None:
        return
    code = {e.text for e in body.iter("script", "style", "noscript") if e.text}
    text = " ".join(" ".join(t for t in _TEXT_NODES(tree) if t not in code).split())
    lower = text.lower()
    starts = set()
    for stem in _LABEL_STEMS:
        at = lower.find(stem)
        while at >= 0:
            starts.add(max(0, at - 12))  # room for "first ", "last ", "ver" before the stem
            at = lower.find(stem, at + 1)
    found = {"published": False, "modified": False}
    seen_end = -1
    for start in sorted(starts):
        m = _LABEL.search(text, start, start + 60)
        if m is None or m.start() < seen_end:
            continue
        seen_end = m.end()
        role = "published" if m["pub"] else "modified"
        if found[role]:
            continue
        window = text[m.end() : m.end() + 40]
        stop = _LABEL.search(window)
        window = window[: stop.start()] if stop else window
        if not any(c.isdigit() for c in window[:20]):
            continue
        try:
            sig = parse_value(window, "byline", role, dayfirst=dayfirst)
        except (ValueError, OverflowError, KeyError):
            continue
        found[role] = True
        out.signals.append(replace(sig, kind="byline:labelled" if role == "published" else "byline:modified"))
        if all(found.values()):
            break


def _year_alone(found: str, html: str) -> bool:
    """htmldate's answer is 1 January and the page writes that day nowhere (ISO, day-first or month-first)."""
    if found[5:10] != "01-01" or not html:
        return False
    y = found[:4]
    return not any(
        f in html for f in (f"{y}-01-01", f"01.01.{y}", f"1.1.{y}", f"01/01/{y}", f"{y}/01/01", f"{y}0101")
    )


def url_signal(url: str | None) -> Signal | None:
    if not url:
        return None
    m = _URL_DATE.search(url)
    if not m:
        return None
    try:
        return Signal("url", "published", _valid(int(m[1]), int(m[2]), int(m[3])), raw=m[0])
    except ValueError:
        return None


def _dayfirst(tree: HtmlElement) -> bool:
    lang = ((tree.xpath("/html/@lang") or [""])[0] or "").lower()
    return not lang.startswith(("en-us", "en_us")) and lang not in ("en",)


# a page-level `<meta name="date">` / `DC.date` is often the page's build or edit time, not the article's: a
# `<time>` or a dated byline of the article goes first
_WEAK = ("meta:date", "meta:dc.date")
_RANK = {
    "jsonld:datePublished": 1,
    "meta:article:published_time": 0,
    "meta:og:published_time": 1,
    "meta:og:article:published_time": 1,
    "meta:datepublished": 1,
    "jsonld:dateCreated": 2,
    "time:published": 2,
    "jsonld:uploadDate": 3,
    "byline:labelled": 4,
    "meta:date": 6,
    "meta:dc.date": 6,
    "byline": 5.5,
    "byline:numeric": 5.5,
}


def page_dates(
    tree: HtmlElement | None,
    html: str,
    url: str | None = None,
    *,
    reference: datetime | None = None,
    extensive: bool = True,
) -> PageDates:
    """Every date signal of one page, the page's most trusted publication signal first. Never raises."""
    out = PageDates()
    if tree is None:
        return out
    try:
        _jsonld(tree, out)
        _meta(tree, out, not html or "itemprop" in html)
        _times(tree, out, _dayfirst(tree))
    except Exception as exc:  # a malformed document: what was read so far stands
        out.dropped.append(("markup", "", f"{type(exc).__name__}: {exc}"[:120]))
    canonical = (
        tree.xpath("//link[@rel='canonical']/@href")
        or tree.xpath("//meta[@property='og:url']/@content")
        or [None]
    )[0]
    # the page's text is read for labels only when no structured date that outranks them was found (the text
    # scan is the costliest part of a page)
    if not any(
        s.role == "published" and _RANK.get(s.kind, 5) < _RANK["byline:labelled"] for s in out.signals
    ):
        try:
            _labelled(tree, out, _dayfirst(tree))
        except Exception as exc:  # best effort, like the markup
            out.dropped.append(("byline:labelled", "", f"{type(exc).__name__}: {exc}"[:120]))
    # a dated byline of the article (a short element marked as a date, outside the site's header) is read before
    # htmldate, whose search by position takes dates from anywhere on the page; an ambiguous numeric one
    # (03.04.2020) on a day-first page goes after htmldate, which weighs more evidence for those
    byline = None
    if not any(s.role == "published" and s.kind not in _WEAK for s in out.signals):
        dayfirst = _dayfirst(tree)
        byline = _byline(tree, out, reference, dayfirst)
        # an ambiguous numeric date goes first only on month-first pages: htmldate reads them day-first
        late = ("byline:numeric",) if dayfirst else ()
        if byline is not None and byline.kind not in late:
            out.signals.append(byline)
            byline = None
    if not any(s.role == "published" for s in out.signals):
        try:
            # without the URL: the URL path is a signal of its own, ranked after the feed's date
            found = find_date(tree, extensive_search=extensive, original_date=True)  # it prunes a copy
        except Exception as exc:  # htmldate is best effort
            found, _ = None, out.dropped.append(("htmldate", "", type(exc).__name__))
        if (
            found
            and byline is not None
            and any(s.role == "modified" and s.day.isoformat() == found[:10] for s in out.signals)
        ):
            # htmldate fell back on the modified date while the byline names a publication date
            out.dropped.append(("htmldate", found, "the page's modified date"))
        elif found and _year_alone(found, html):
            # htmldate reads a year with no day (a copyright line, "© 2016") as 1 January
            out.dropped.append(("htmldate", found, "a year alone, not a day"))
        elif found:
            _add(out, "htmldate", "published", found)
    if byline is not None:
        out.signals.append(byline)
    for where in (url, canonical):
        sig = url_signal(where)
        if sig:
            out.signals.append(sig)
            break
    out.signals.sort(key=lambda s: (s.role != "published", _RANK.get(s.kind, 5 if s.kind != "url" else 9)))
    return out


# -- choosing ---------------------------------------------------------------------------------------------------
_CONFIDENCE = {
    "jsonld": 0.95,
    "meta": 0.9,
    "time": 0.8,
    "byline": 0.7,
    "htmldate": 0.6,
    "url": 0.5,
    "feed": 0.6,
}


def choose(
    page: PageDates,
    *,
    hint: datetime | None = None,
    hint_kind: str = "feed",
    archived_at: datetime | None = None,
    fetched_at: datetime | None = None,
) -> DateChoice:
    """The publication date of an article from its page's signals and those of its sources.

    The page's first published signal wins; a feed / sitemap / search date (`hint`) when the page has none. The
    chosen instant is capped at the first capture (the earliest archive capture or fetch): a page cannot be
    published after it was seen. Confidence rises when other signals name the same day and falls when not.
    """
    signals = list(page.signals)
    if hint is not None:  # a feed's or search's date ranks after the page's markup, before its URL path
        at = next(
            (i for i, s in enumerate(signals) if s.role != "published" or s.kind == "url"), len(signals)
        )
        signals.insert(at, _instant_signal(hint_kind, "published", hint))
    for kind, at in (("archive", archived_at), ("fetched", fetched_at)):
        if at is not None:
            signals.append(_instant_signal(kind, "seen", at))
    published = [s for s in signals if s.role == "published"]
    modified = next((s for s in signals if s.role == "modified"), None)
    chosen = picked = published[0] if published else None
    seen = [s for s in signals if s.role == "seen"]
    first_seen = min(seen, key=lambda s: s.instant) if seen else None
    rule = chosen.kind if chosen else "none"
    if chosen and first_seen and chosen.instant > first_seen.instant:
        # a zoneless time or a bare day may name the local day the page was seen on: not later than it
        same_day = chosen.at is None and chosen.day <= first_seen.instant.date()
        if same_day:
            # its wall-clock time and day stand, but the instant stored is not later than the first capture
            chosen = replace(chosen, at=first_seen.instant)
        else:
            rule = f"capped:{chosen.kind}"
            chosen = Signal(
                rule,
                "published",
                first_seen.instant.date(),
                first_seen.instant,
                first_seen.instant.replace(tzinfo=None),
                0,
                chosen.raw,
            )
    if chosen is None:
        return DateChoice(None, "none", 0.0, signals, page.dropped, modified)
    chosen, rule = _local_day_from_page(chosen, rule, page.signals)
    chosen, rule = _local_day_from_url(chosen, rule, published)
    days = sorted({s.day for s in published} | {chosen.day})
    spread = (days[-1] - days[0]).days if days else 0
    confidence = _CONFIDENCE.get(rule.split(":")[0], 0.5 if rule.startswith("capped") else 0.6)
    others = [s for s in published if s is not chosen and s is not picked]
    if others:
        agree = sum(1 for s in others if abs((s.day - chosen.day).days) <= 1)
        confidence = confidence * (0.7 + 0.3 * agree / len(others))
    if rule.startswith("capped"):
        confidence = min(confidence, 0.3)
    return DateChoice(chosen, rule, round(confidence, 3), signals, page.dropped, modified, spread)


def _page_offset(chosen: Signal, signals: list[Signal]) -> int | None:
    """The publisher's UTC offset, when the page itself shows it for a time it also gives in UTC: another value of
    the same instant (within a minute) written with a non-zero offset, or a zoneless wall-clock time equal to the
    chosen UTC time shifted by a whole quarter-hour offset (same minutes and seconds); else from another pair of the
    page's values (a modified time given both in UTC and in local time)."""
    utc = [s for s in signals if s.offset_min == 0 and s.at is not None]
    for anchor in [chosen, *[s for s in utc if s is not chosen]]:
        for other in signals:
            if other is anchor or other.local is None:
                continue
            if other.offset_min not in (0, None) and other.at is not None:
                if abs((other.at - anchor.instant).total_seconds()) <= 60:
                    return other.offset_min
            elif other.offset_min is None and anchor is chosen and anchor.local is not None:
                shift = (other.local - anchor.local).total_seconds() / 60
                if shift and abs(shift) <= 14 * 60 and shift % 15 == 0:
                    return int(shift)
    return None


def _local_day_from_page(chosen: Signal, rule: str, signals: list[Signal]) -> tuple[Signal, str]:
    """A time given in UTC takes the publisher's local day when the page shows the publisher's offset elsewhere."""
    if chosen.local is None or chosen.offset_min != 0 or rule.startswith("capped"):
        return chosen, rule
    offset = _page_offset(chosen, [s for s in signals if s.role in ("published", "modified")])
    if offset is None:
        return chosen, rule
    day = (chosen.instant + timedelta(minutes=offset)).date()
    if day == chosen.day:
        return chosen, rule
    return replace(chosen, day=day), f"{rule}+page-offset"


def _local_day_from_url(chosen: Signal, rule: str, published: list[Signal]) -> tuple[Signal, str]:
    """A time given in UTC (or with no zone) does not say the publisher's local day. When the URL path names the
    day before or after, and that day is the instant's local day in some zone publishers use (UTC-10, Hawaii, to
    UTC+14; nobody publishes news from UTC-11/-12), it is the
    local day (pages published late evening in the Americas or early morning in Asia). Other markup naming an
    adjacent day was tried as evidence too and made htmldate's evaluation pages worse."""
    if chosen.local is None or chosen.offset_min not in (0, None):
        return chosen, rule
    instant = chosen.instant
    for other in published:
        if other is chosen or other.kind != "url":
            continue
        if abs((other.day - chosen.day).days) != 1:
            continue
        start = datetime(other.day.year, other.day.month, other.day.day, tzinfo=UTC)
        if start - timedelta(hours=14) <= instant < start + timedelta(hours=34):
            return replace(chosen, day=other.day), f"{rule}+url-day"
    return chosen, rule


def _instant_signal(kind: str, role: str, at: datetime) -> Signal:
    at = at if at.tzinfo else at.replace(tzinfo=UTC)
    utc = at.astimezone(UTC)
    offset = int(at.utcoffset().total_seconds() // 60)
    local = at.replace(tzinfo=None)
    return Signal(kind, role, local.date(), utc, local, offset, at.isoformat())


def extract_dates(html: str, url: str | None = None, *, extensive: bool = True) -> PageDates:
    """For callers holding only HTML (the bench): parse (htmldate's own parser), then `page_dates`."""
    from htmldate.utils import load_html

    tree = load_html(html) if html and html.strip() else None
    return page_dates(tree, html, url, extensive=extensive)


def in_range(choice: DateChoice | None, published: datetime, bounds: tuple[datetime, datetime]) -> bool:
    """A backfill window [start, end) (UTC day bounds) holds an article when any day its signals name is in it:
    the chosen day placed by the publisher's local day, and every other day a signal names, so an article whose
    dates disagree is never lost between windows."""
    lo, hi = bounds[0].date(), bounds[1].date()
    if choice is None or choice.day is None:
        return bounds[0] <= published < bounds[1]
    return any(lo <= day < hi for day in choice.days())
