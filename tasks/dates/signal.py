"""What a date signal is: one date some evidence gives for a page (`Signal`), the signals and dropped values of
one page (`PageDates`), and the range of years a news date may fall in."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime

MIN_YEAR, MAX_YEAR = 1990, 2100  # news pages: anything outside is a template default or a poison value


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


def valid_day(y: int, m: int, d: int) -> date:
    if not MIN_YEAR <= y <= MAX_YEAR:
        raise ValueError(f"year {y} out of range")
    return date(y, m, d)
