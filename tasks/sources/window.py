"""Time windows a search or history source is asked for: a half-open UTC range [start, end), clipped,
aligned to whole steps and split in two when a service answers a window full."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Window:
    """A half-open UTC time range [start, end)."""

    start: datetime
    end: datetime

    def __post_init__(self) -> None:
        if self.start.tzinfo is None or self.end.tzinfo is None:
            raise ValueError("Window needs aware datetimes")
        object.__setattr__(self, "start", self.start.astimezone(UTC))
        object.__setattr__(self, "end", self.end.astimezone(UTC))
        if self.start >= self.end:
            raise ValueError(f"empty window: {self.start.isoformat()} >= {self.end.isoformat()}")

    @property
    def span(self) -> timedelta:
        return self.end - self.start

    def contains(self, moment: datetime) -> bool:
        return self.start <= moment < self.end

    def clip(self, start: datetime | None = None, end: datetime | None = None) -> Window | None:
        """The part of this window inside [start, end), or None when nothing is left."""
        lo = max(self.start, start) if start is not None else self.start
        hi = min(self.end, end) if end is not None else self.end
        return Window(lo, hi) if lo < hi else None

    def aligned(self, step: timedelta) -> Window:
        """The smallest window of whole `step`s (counted from the Unix epoch) that covers this one."""
        return Window(floor_time(self.start, step), ceil_time(self.end, step))

    def split(self, step: timedelta) -> tuple[Window, Window] | None:
        """Two halves cut at a multiple of `step`, or None when the window is a single step or less."""
        middle = floor_time(self.start + self.span / 2, step)
        if middle <= self.start:
            middle = floor_time(self.start, step) + step
        if middle >= self.end:
            return None
        return Window(self.start, middle), Window(middle, self.end)

    def __str__(self) -> str:
        return f"{_short(self.start)}/{_short(self.end)}"


def _short(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d" if moment.time() == datetime.min.time() else "%Y-%m-%dT%H:%MZ")


def floor_time(moment: datetime, step: timedelta) -> datetime:
    return moment - (moment - EPOCH) % step


def ceil_time(moment: datetime, step: timedelta) -> datetime:
    rest = (moment - EPOCH) % step
    return moment if not rest else moment - rest + step
