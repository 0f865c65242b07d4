"""The publication date chosen for an article (`choose`): the page's most trusted signal, else its source's
date; capped at the first capture; placed on the publisher's local day; with a confidence from how far the
signals agree. And whether a backfill window holds an article (`in_range`)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta

from tasks.dates.signal import PageDates, Signal


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


def in_range(choice: DateChoice | None, published: datetime, bounds: tuple[datetime, datetime]) -> bool:
    """A backfill window [start, end) (UTC day bounds) holds an article when any day its signals name is in it:
    the chosen day placed by the publisher's local day, and every other day a signal names, so an article whose
    dates disagree is never lost between windows."""
    lo, hi = bounds[0].date(), bounds[1].date()
    if choice is None or choice.day is None:
        return bounds[0] <= published < bounds[1]
    return any(lo <= day < hi for day in choice.days())
