"""The one place that says what time it is, so the simulated web and tests can set it."""

from __future__ import annotations

import os
from datetime import UTC, date, datetime, time, timedelta

_override: datetime | None = None
_offset: timedelta | None = None


def now() -> datetime:
    """Current time as an aware UTC datetime; `NEWSMON_NOW` (ISO 8601) or `set_now` override it."""
    if _override is not None:
        return _override
    if _offset is not None:
        return datetime.now(UTC) + _offset
    env = os.environ.get("NEWSMON_NOW")
    if env:
        return as_utc(datetime.fromisoformat(env.replace("Z", "+00:00")))
    return datetime.now(UTC)


def set_now(value: datetime | None, *, ticking: bool = False) -> None:
    """Pin "now" to `value` (or, with `ticking`, start the clock at `value` and let it run); None restores it."""
    global _override, _offset
    _override = _offset = None
    if value is None:
        return
    if ticking:
        _offset = as_utc(value) - datetime.now(UTC)
    else:
        _override = as_utc(value)


def as_utc(value: datetime) -> datetime:
    """Naive datetimes are taken to be UTC already."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def day_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """Inclusive UTC day range -> [start 00:00, day after end 00:00)."""
    lo = datetime.combine(start, time.min, tzinfo=UTC)
    hi = datetime.combine(end + timedelta(days=1), time.min, tzinfo=UTC)
    return lo, hi
