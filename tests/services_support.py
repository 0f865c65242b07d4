"""What the search-source tests share: the emulated services' clock, a quick polite policy, the running web."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

from simweb import SimWeb
from tasks.fetch_policy import FetchPolicy
from tasks.sources.service import ServiceFetcher

NOW = datetime(2024, 11, 30, 6, 0, tzinfo=UTC)


def service_policy(max_retries: int = 1) -> FetchPolicy:
    """Loopback allowed, no pacing, tiny backoffs: faults are retried without slowing the suite."""
    return FetchPolicy(
        allow_networks=("127.0.0.0/8",),
        delay=0.0,
        timeout=2.0,
        backoff=0.01,
        max_retries=max_retries,
        max_retry_after=0.2,
    )


@contextmanager
def services_web() -> Iterator[SimWeb]:
    with SimWeb(now=NOW, faults=None, services=True) as web:
        yield web


@contextmanager
def service_fetcher(policy: FetchPolicy, max_bytes: int | None = None) -> Iterator[ServiceFetcher]:
    with ServiceFetcher(policy, max_bytes=max_bytes) as fetcher:
        yield fetcher
