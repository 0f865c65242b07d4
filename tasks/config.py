"""Configuration as data: TOML files under config/, validated with clear errors."""

from __future__ import annotations

import os
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
    request_deadline: float = Field(60.0, gt=0)  # one request, connect to last byte, whatever the encoding
    host_budget: float | None = Field(None, gt=0)  # seconds one host may take in a fetch batch
    batch_budget: float | None = Field(None, gt=0)  # seconds a whole fetch batch may take
    run_budget: float | None = Field(None, gt=0)  # seconds all fetch batches of one run may take
    max_pages_per_run: int | None = Field(None, ge=1)  # pages one run fetches at most; the rest wait
    host_down_after: int = Field(5, ge=0)  # connection failures in a row after which a host is down; 0: never
    host_down_for: float = Field(300.0, ge=0)  # seconds a down host is not asked

    def policy(self, host_delays: dict[str, float] | None = None):
        """The fetcher's policy for these settings; `host_delays` are per host[:port] pacing from the sources."""
        from tasks.fetch_policy import FetchPolicy

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
            request_deadline=self.request_deadline,
            host_budget=self.host_budget,
            batch_budget=self.batch_budget,
            host_down_after=self.host_down_after,
            host_down_for=self.host_down_for,
        )


class PipelineSettings(_Strict):
    fetch_batch_size: int = Field(200, ge=1)
    process_batch_size: int = Field(100, ge=1)


def usable_cores() -> int:
    """Cores this process may run on (its CPU affinity where the system says, else all of them)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


class RunnerSettings(_Strict):
    """Where the CPU work (extract, clean, score, signatures) of process batches runs.

    `dask`: a local Dask cluster of `workers` processes, or the existing cluster at `address`
    ("tcp://host:8786"), through prefect-dask; the cluster is started only when a run has at least
    `min_batches` process batches (a cluster costs seconds to start). `serial`: in the flow's own process.
    `auto`: `dask` on a machine with two cores or more, else `serial` (the default: on a shared 2-core machine
    the cluster measured no faster, README "Scale"). The cluster starts in the
    background when a run knows it will have enough pages; until it is up the flow analyses batches itself
    (`flow_helps`), so a run is never slower for waiting on it.
    Whatever the runner, one writer (the flow) loads the results, in order.
    """

    kind: Literal["auto", "dask", "serial"] = "serial"
    address: str = ""
    workers: int = Field(2, ge=1)
    threads_per_worker: int = Field(1, ge=1)
    min_batches: int = Field(3, ge=1)
    flow_helps: bool = True  # while the cluster starts, the flow analyses batches itself

    @property
    def parallel(self) -> bool:
        """Whether process batches go to a Dask cluster."""
        if self.kind == "auto":
            return bool(self.address) or usable_cores() >= 2
        return self.kind == "dask"


class TemplateThresholds(_Strict):
    min_pages: int = Field(3, ge=2)
    min_days: int = Field(2, ge=1)
    min_share: float = Field(0.9, gt=0, le=1)
    min_share_pages: int = Field(5, ge=2)
    max_line_chars: int = Field(400, ge=20)
    lead_lines: int = Field(2, ge=0)


class NightlySettings(_Strict):
    """The nightly's search pass: search sources are asked for the last `search_days` before now."""

    search_days: float = Field(1.0, gt=0, le=90)
    # each window starts this long before the previous one's end: items the service indexed late are found
    search_overlap_hours: float = Field(2.0, ge=0, le=72)


class TopicSettings(_Strict):
    path: str = "config/topics.toml"


class Settings(_Strict):
    database: DatabaseSettings = DatabaseSettings()
    fetch: FetchSettings = FetchSettings()
    pipeline: PipelineSettings = PipelineSettings()
    topic: TopicSettings = TopicSettings()
    templates: TemplateThresholds = TemplateThresholds()
    runner: RunnerSettings = RunnerSettings()
    nightly: NightlySettings = NightlySettings()

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
    nightly: bool | None = None  # search sources: asked by the nightly's search pass (default: by kind)

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


def _problems(exc: ValidationError, prefix: str = "") -> list[str]:
    out = []
    for err in exc.errors():
        where = ".".join(str(p) for p in err["loc"])
        msg = "unknown key" if err["type"] == "extra_forbidden" else err["msg"]
        out.append(f"{prefix}{where}: {msg}")
    return out


def _explain(path: Path, exc: ValidationError, prefix: str = "") -> ConfigError:
    return ConfigError("\n".join(f"{path}: {p}" for p in _problems(exc, prefix)))


def load_settings(path: Path | None = None) -> Settings:
    path = path or CONFIG_DIR / "newsmon.toml"
    try:
        return Settings.model_validate(_read_toml(path))
    except ValidationError as exc:
        raise _explain(path, exc) from None


def load_sources(path: Path | None = None, *, languages: tuple[str, ...] | None = None) -> list[Source]:
    """Every source of `path`, or a ConfigError listing every problem (one line each) in one pass.

    `languages`: the topic's languages; a source in another language is refused.
    """
    path = path or CONFIG_DIR / "sources.toml"
    data = _read_toml(path)
    problems: list[str] = []
    unknown = sorted(set(data) - {"source"})
    if unknown:
        problems.append(f"unknown top-level key(s) {', '.join(unknown)}: each source is a [[source]] table")
    entries = data.get("source", [])
    if not isinstance(entries, list) or not entries:
        if not unknown:
            problems.append("no [[source]] entries")
        entries = []
    sources: list[Source] = []
    seen: set[str] = set()
    for i, raw in enumerate(entries):
        label = raw.get("name", f"#{i + 1}") if isinstance(raw, dict) else f"#{i + 1}"
        try:
            entry = SourceEntry.model_validate(raw)
        except ValidationError as exc:
            problems.extend(_problems(exc, prefix=f"source {label}: "))
            continue
        if entry.name in seen:
            problems.append(f"source name {entry.name!r} is used twice")
        seen.add(entry.name)
        if languages is not None and entry.language is not None and entry.language not in languages:
            problems.append(
                f"source {entry.name}: language {entry.language!r} is not a topic language "
                f"({', '.join(languages)})"
            )
        if entry.nightly is not None and entry.kind not in SEARCH_KINDS:
            problems.append(
                f"source {entry.name}: nightly: only search sources ({', '.join(SEARCH_KINDS)}) take it; "
                "feeds and sitemaps are read by every nightly"
            )
        if entry.kind in SEARCH_KINDS:
            problem = _search_options_problem(entry)
            if problem:
                problems.append(problem)
        sources.append(Source(**entry.model_dump()))
    if problems:
        raise ConfigError("\n".join(f"{path}: {p}" for p in problems))
    return sources


def check_all(
    settings_file: Path | None = None, sources_file: Path | None = None, *, rules_dir: Path | None = None
) -> list[str]:
    """Every problem of the settings, topic, rule and sources files, one line each (empty: all valid).

    Run before any flow run is created, so a typo never starts (and fails) a run.
    """
    from tasks.cleanrules import RuleError, load_rules
    from tasks.relevance.topic import TopicConfigError, load_topic

    problems: list[str] = []
    settings = None
    try:
        settings = load_settings(settings_file)
    except ConfigError as exc:
        problems.extend(str(exc).splitlines())
    languages = None
    topic_path = settings.topic.path if settings else _raw_topic_path(settings_file)
    try:
        topic = load_topic(Settings().resolve(topic_path) if topic_path else None)
        languages = topic.languages
    except TopicConfigError as exc:
        problems.extend(exc.lines)
    try:
        problems.extend(rule_example_problems(load_rules(rules_dir)))
    except RuleError as exc:
        problems.extend(str(exc).splitlines())
    try:
        load_sources(sources_file, languages=languages)
    except ConfigError as exc:
        problems.extend(str(exc).splitlines())
    return problems


def rule_example_problems(rules) -> list[str]:
    """Each rule's own examples, checked when the rules load: its `drop` examples removed by it alone, its
    `keep` examples left whole by every rule."""
    from tasks.clean import RuleSet, strip_boilerplate

    problems = []
    for rule in rules.rules:
        alone = RuleSet((rule,))
        for example in rule.drop:
            left = strip_boilerplate(example, rules=alone).text
            if left:
                problems.append(
                    f"{rule.source or 'rules'}: rule {rule.id}: drop example {example!r} leaves {left!r}"
                )
        for example in rule.keep:
            result = strip_boilerplate(example, language=None, rules=rules)
            if result.text != example:
                cut = sorted({r.rule for r in result.removed})
                problems.append(
                    f"{rule.source or 'rules'}: rule {rule.id}: keep example {example!r} is cut by {', '.join(cut)}"
                )
    return problems


def _raw_topic_path(settings_file: Path | None) -> str | None:
    """The topic path of a settings file that did not validate, so the topic is still checked."""
    try:
        topic = _read_toml(settings_file or CONFIG_DIR / "newsmon.toml").get("topic", {})
    except ConfigError:
        return None
    path = topic.get("path") if isinstance(topic, dict) else None
    return path if isinstance(path, str) else None


def _search_options_problem(entry: SourceEntry) -> str | None:
    """Build the search source once, so a bad option fails at load time with the file and source named.
    A broken topic file is the topic's problem (reported by `check_all`), not this source's."""
    from tasks.relevance.topic import TopicConfigError, load_topic
    from tasks.sources import build_source

    try:
        topic = load_topic()
    except TopicConfigError:
        return None
    try:
        build_source(entry.kind, entry.options or {}, topic)
    except (ValueError, TypeError) as exc:
        return f"source {entry.name}: options: {exc}"
    return None
