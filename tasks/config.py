"""Configuration as data: TOML files under config/, validated with clear errors."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from tasks.models import Source

ROOT = Path(__file__).resolve().parent.parent
CONFIG_DIR = ROOT / "config"
SOURCE_KINDS = ("rss", "sitemap", "gnews", "gdelt", "gkg", "cdx")
SEARCH_KINDS = ("gnews", "gdelt", "gkg", "cdx")  # answer for a time window: what backfills use


class ConfigError(ValueError):
    """A configuration file is missing, unreadable or invalid; the message names the file and the field."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class DatabaseSettings(_Strict):
    path: str = "duckdb/news.duckdb"
    snapshot: bool = True
    lock_timeout: float = Field(120.0, ge=0)
    memory_limit: str = Field("512MB", pattern=r"^\d+(\.\d+)?\s*(KB|MB|GB|KiB|MiB|GiB)$")  # DuckDB's, for a run


class FetchSettings(_Strict):
    user_agent: str = "newsmon/0.1"
    timeout: float = Field(15.0, gt=0)
    max_bytes: int = Field(5_000_000, gt=0)
    delay: float = Field(2.0, ge=0)
    max_retries: int = Field(3, ge=0)
    backoff: float = Field(1.0, ge=0)
    max_retry_after: float = Field(60.0, ge=0)
    max_workers: int = Field(8, ge=1)
    allow_networks: tuple[str, ...] = ()
    max_attempts: int = Field(5, ge=1)
    service_max_bytes: int = Field(200_000_000, gt=0)  # search APIs and data files (GDELT GKG zips)

    def policy(self, host_delays: dict[str, float] | None = None):
        """The fetcher's policy for these settings; `host_delays` are per host[:port] pacing from the sources."""
        from tasks.fetch import FetchPolicy

        return FetchPolicy(
            user_agent=self.user_agent,
            timeout=self.timeout,
            max_bytes=self.max_bytes,
            delay=self.delay,
            host_delays=host_delays or {},
            max_retries=self.max_retries,
            backoff=self.backoff,
            max_retry_after=self.max_retry_after,
            respect_robots=True,
            allow_networks=tuple(self.allow_networks),
            max_workers=self.max_workers,
        )


class PipelineSettings(_Strict):
    fetch_batch_size: int = Field(200, ge=1)
    process_batch_size: int = Field(100, ge=1)


class RunnerSettings(_Strict):
    """Where the CPU work (extract, clean, score, signatures) of process batches runs.

    `dask`: a local Dask cluster of `workers` processes, or the existing cluster at `address`
    ("tcp://host:8786"), through prefect-dask; the cluster is started only when a run has at least
    `min_batches` process batches (a cluster costs seconds to start). `serial`: in the flow's own process.
    Whatever the runner, one writer (the flow) loads the results, in order.
    """

    kind: Literal["dask", "serial"] = "dask"
    address: str = ""
    workers: int = Field(2, ge=1)
    threads_per_worker: int = Field(1, ge=1)
    min_batches: int = Field(3, ge=1)


class TemplateThresholds(_Strict):
    min_pages: int = Field(3, ge=2)
    min_days: int = Field(2, ge=1)
    min_share: float = Field(0.9, gt=0, le=1)
    min_share_pages: int = Field(5, ge=2)
    max_line_chars: int = Field(400, ge=20)
    lead_lines: int = Field(2, ge=0)


class TopicSettings(_Strict):
    path: str = "config/topics.toml"


class Settings(_Strict):
    database: DatabaseSettings = DatabaseSettings()
    fetch: FetchSettings = FetchSettings()
    pipeline: PipelineSettings = PipelineSettings()
    topic: TopicSettings = TopicSettings()
    templates: TemplateThresholds = TemplateThresholds()
    runner: RunnerSettings = RunnerSettings()

    def template_settings(self):
        from tasks.templates import TemplateSettings

        return TemplateSettings(**self.templates.model_dump())

    def resolve(self, path: str) -> Path:
        """Paths in config are relative to the project root."""
        p = Path(path)
        return p if p.is_absolute() else ROOT / p


class SourceEntry(_Strict):
    name: str = Field(min_length=1, pattern=r"^[a-z0-9][a-z0-9._-]*$")
    kind: Literal["rss", "sitemap", "gnews", "gdelt", "gkg", "cdx"]
    url: str
    language: str | None = Field(None, pattern=r"^[a-z]{2}$")
    delay: float = Field(2.0, ge=0)
    options: dict | None = None

    @field_validator("url")
    @classmethod
    def _http_url(cls, v: str) -> str:
        if not v.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        return v


def host_delays(sources: list[Source]) -> dict[str, float]:
    """A source's configured pacing applies to every request to its host (feeds and articles alike)."""
    from urllib.parse import urlsplit

    delays: dict[str, float] = {}
    for s in sources:
        netloc = urlsplit(s.url).netloc.lower()
        delays[netloc] = max(delays.get(netloc, 0.0), s.delay)
    return delays


def _read_toml(path: Path) -> dict:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        raise ConfigError(f"{path}: file not found") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None


def _explain(path: Path, exc: ValidationError, prefix: str = "") -> ConfigError:
    problems = "; ".join(
        f"{prefix}{'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in exc.errors()
    )
    return ConfigError(f"{path}: {problems}")


def load_settings(path: Path | None = None) -> Settings:
    path = path or CONFIG_DIR / "newsmon.toml"
    try:
        return Settings.model_validate(_read_toml(path))
    except ValidationError as exc:
        raise _explain(path, exc) from None


def load_sources(path: Path | None = None) -> list[Source]:
    path = path or CONFIG_DIR / "sources.toml"
    entries = _read_toml(path).get("source", [])
    if not isinstance(entries, list) or not entries:
        raise ConfigError(f"{path}: no [[source]] entries")
    sources: list[Source] = []
    seen: set[str] = set()
    for i, raw in enumerate(entries):
        try:
            entry = SourceEntry.model_validate(raw)
        except ValidationError as exc:
            label = raw.get("name", f"#{i + 1}") if isinstance(raw, dict) else f"#{i + 1}"
            raise _explain(path, exc, prefix=f"source {label}: ") from None
        if entry.name in seen:
            raise ConfigError(f"{path}: source name {entry.name!r} is used twice")
        seen.add(entry.name)
        if entry.kind in SEARCH_KINDS:
            _check_search_options(path, entry)
        sources.append(Source(**entry.model_dump()))
    return sources


def _check_search_options(path: Path, entry: SourceEntry) -> None:
    """Build the search source once, so a bad option fails at load time with the file and source named."""
    from tasks.relevance import load_topic
    from tasks.sources import build_source

    try:
        build_source(entry.kind, entry.options or {}, load_topic())
    except (ValueError, TypeError) as exc:
        raise ConfigError(f"{path}: source {entry.name}: options: {exc}") from None
