"""Helpers of the fetcher's tests: a fast loopback policy, a one-page fetch, a small HTML page."""

from __future__ import annotations

from tasks.fetch import Fetcher
from tasks.fetch_policy import FetchPolicy

LOOPBACK = ("127.0.0.0/8",)
RUSSIAN = "Путин и Ким Чен Ын подписали договор о всеобъемлющем стратегическом партнёрстве в Пхеньяне."


def fast(**overrides: object) -> FetchPolicy:
    """A policy for tests: loopback allowed, no pacing, tiny backoff."""
    options: dict[str, object] = {
        "timeout": 1.0,
        "delay": 0.0,
        "backoff": 0.01,
        "max_retries": 3,
        "allow_networks": LOOPBACK,
    }
    options.update(overrides)
    return FetchPolicy(**options)  # type: ignore[arg-type]


def fetch(url: str, policy: FetchPolicy | None = None, **kwargs: str):
    with Fetcher(policy or fast()) as fetcher:
        return fetcher.fetch(url, **kwargs)


def html(text: str, charset: str = "utf-8", meta: str = "") -> bytes:
    return f"<html><head>{meta}<title>t</title></head><body><p>{text}</p></body></html>".encode(charset)
