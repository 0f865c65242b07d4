"""What a source keeps between runs, and what one stream of it reported.

A source reads its incremental state (ETag/Last-Modified of a listing, GKG files already read) from here
and writes back what changed; `tasks.repos.sources` loads and saves it. No I/O here.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass
class SourceState:
    # -- kept between runs
    etag: str | None = None
    last_modified: str | None = None
    done: set[str] = field(default_factory=set)  # units of work finished for good (GKG file names)
    searched_until: datetime | None = None  # end of the last nightly search window answered without error
    language_marks: dict[str, datetime] = field(default_factory=dict)  # the same per query language
    # -- what this stream did (saved after it)
    checked: bool = False  # a listing was requested: its status, error and validators are to be stored
    status: int | None = None
    error: str | None = None
    items: int = 0
    requests: int = 0
    skipped: Counter = field(default_factory=Counter)  # reason -> items skipped or fields set to None
    finished: list[str] = field(default_factory=list)  # units newly done in this stream
    unresolved: list[dict[str, Any]] = field(default_factory=list)  # found but not an article URL (yet)
    notes: list[str] = field(default_factory=list)  # deliberate skips and limits: not failures
    errors: list[str] = field(default_factory=list)  # failures; asking again later may help
    stats: dict[str, float] = field(default_factory=dict)
    searched_to: datetime | None = None  # the nightly's new mark: this stream answered its window
    searched_to_languages: dict[str, datetime] = field(default_factory=dict)  # new marks per query language

    def check(self, name: str):
        """This stream as a SourceCheck (the sources table's row of the last check)."""
        from tasks.discover import SourceCheck

        return SourceCheck(
            name,
            status=self.status,
            error=self.error,
            etag=self.etag,
            last_modified=self.last_modified,
            items=self.items,
            skipped=dict(self.skipped),
        )
