"""Giving freed memory back to the system between batches.

A run parses, extracts and decides pages batch after batch, with fetch threads alongside; glibc's allocator keeps
what Python and lxml free in per-thread arenas and rarely returns it, so the process's resident size climbs with
the run though little of it is in use. `release()` (glibc's `malloc_trim`) hands the free pages back; it costs a
few milliseconds and does nothing on other C libraries.
"""

from __future__ import annotations

import ctypes
import ctypes.util
from functools import cache


@cache
def _trim():
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name) if name else None
        return libc.malloc_trim if libc is not None and hasattr(libc, "malloc_trim") else None
    except OSError:
        return None


def release() -> bool:
    """Return free heap memory to the system; True if the C library could."""
    trim = _trim()
    if trim is None:
        return False
    trim(0)
    return True
