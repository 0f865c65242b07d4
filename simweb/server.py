"""The simulated web: one loopback HTTP server per publisher, faults, a request log and the ground truth."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import urlsplit

from simweb.catalog import Catalog
from simweb.content import SITES_DIR, Site, load_sites
from simweb.faults import FaultTable, demo_faults
from simweb.handler import PublisherServer, RequestLog
from simweb.routes import FEED_PATH, SITEMAP_PATH, SiteApp
from simweb.services import Services
from simweb.truth import PageTruth, build_truth, search_only_truth
from tasks.models import Source

FIRST_HOST = 10  # publisher i listens on 127.0.0.<FIRST_HOST + i>
FIRST_SEARCH_ONLY_HOST = 50  # search-only publisher j on 127.0.0.<50 + j> (the services hold .40-.43)


@dataclass(frozen=True)
class Publisher:
    name: str
    language: str
    base_url: str  # e.g. "http://127.0.0.12:40321"


class SimWeb:
    """Many news publishers on loopback, with injectable faults and ground truth.

    `now` decides what is published: feeds, sitemaps and article URLs only show pages with
    published <= now. Faults and `now` may change while the servers run.
    """

    def __init__(
        self,
        now: datetime | None = None,
        faults: str | None = "demo",
        sites_dir: Path = SITES_DIR,
        port: int = 0,
        services: bool = False,
        search_only: bool = False,
    ):
        # port 0: ephemeral ports (tests run many webs side by side); a fixed port keeps URLs stable across
        # runs, as the demo needs (each publisher has its own address, so they can all share one port)
        self._port = port
        # search_only: also publishers no feed or sitemap lists, one per topic language (simweb/searchonly.py)
        extra = []
        if search_only:
            from simweb.searchonly import search_only_sites

            extra = search_only_sites()
        self._catalog = Catalog(load_sites(sites_dir) + extra)
        self._faults = FaultTable()
        self._requests: list[RequestLog] = []
        self._requests_lock = threading.Lock()
        self._servers: list[PublisherServer] = []
        self._threads: list[threading.Thread] = []
        # search services (Google News, GDELT API and files, web archive): simweb/services
        self._with_services = services
        self.services: Services | None = None
        latest = max(p.published for s in self._catalog.sites for p in self._catalog.pages(s.name))
        self.now = now if now is not None else latest + timedelta(days=1)
        if faults not in ("demo", None):
            raise ValueError(f'faults must be "demo" or None, not {faults!r}')
        self._preset = faults
        self.reset_faults()

    @property
    def now(self) -> datetime:
        return self._now

    @now.setter
    def now(self, value: datetime) -> None:
        if value.tzinfo is None:
            raise ValueError("now must be an aware datetime")
        self._now = value.astimezone(UTC)

    # --- lifecycle -------------------------------------------------------------------------------

    def start(self) -> SimWeb:
        if self._servers:
            raise RuntimeError("SimWeb is already running")
        try:
            regular = [s for s in self._catalog.sites if not s.search_only]
            hosts = [FIRST_HOST + i for i in range(len(regular))]
            hosts += [FIRST_SEARCH_ONLY_HOST + j for j in range(len(self._catalog.sites) - len(regular))]
            for host, site in zip(
                hosts, regular + [s for s in self._catalog.sites if s.search_only], strict=True
            ):
                self._servers.append(
                    _bind(
                        f"127.0.0.{host}",
                        self._app_factory(site),
                        self._faults,
                        self._log,
                        self._port,
                    )
                )
        except OSError:
            self.stop()
            raise
        for server in self._servers:
            thread = threading.Thread(
                target=server.serve_forever, kwargs={"poll_interval": 0.05}, name=f"simweb-{server.address}"
            )
            thread.daemon = True
            thread.start()
            self._threads.append(thread)
        if self._with_services:
            base_urls = {s.app.site.name: s.app.base_url for s in self._servers}
            try:
                self.services = Services(self._catalog, base_urls, lambda: self._now, self._port).start()
            except OSError:
                self.stop()
                raise
        return self

    def stop(self) -> None:
        if self.services is not None:
            self.services.stop()
            self.services = None
        # Each shutdown() waits for its serve loop to notice; asking all at once keeps stop() quick.
        # Only servers whose loop was started can be shut down (start() may have failed half way).
        stoppers = [threading.Thread(target=s.shutdown) for s in self._servers[: len(self._threads)]]
        for stopper in stoppers:
            stopper.start()
        for stopper in stoppers:
            stopper.join(timeout=5)
        for server in self._servers:
            server.server_close()
        self._servers.clear()
        self._threads.clear()

    def __enter__(self) -> SimWeb:
        if not self._servers:
            self.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    # --- what is served --------------------------------------------------------------------------

    @property
    def publishers(self) -> list[Publisher]:
        return [Publisher(s.app.site.name, s.app.site.language, s.app.base_url) for s in self._running()]

    def sources(self) -> list[Source]:
        """A feed source and a news-sitemap source per publisher (Atom feeds are kind "rss" too); none for
        search-only publishers."""
        sources = []
        followed = {s.app.site.name for s in self._running() if not s.app.site.search_only}
        for p in self.publishers:
            if p.name not in followed:
                continue
            sources.append(Source(f"{p.name}-feed", "rss", p.base_url + FEED_PATH, p.language, delay=0.0))
            sources.append(
                Source(f"{p.name}-sitemap", "sitemap", p.base_url + SITEMAP_PATH, p.language, delay=0.0)
            )
        return sources

    @property
    def service_urls(self) -> dict[str, str]:
        """Base URL of each search service by source kind (gnews, gdelt, gkg, cdx); empty without services."""
        return self.services.urls if self.services is not None else {}

    def truth(self) -> list[PageTruth]:
        """One entry per page the feeds and sitemaps link to at `now`."""
        base_urls = {s.app.site.name: s.app.base_url for s in self._running()}
        return build_truth(self._catalog, base_urls, self._now, self._faults)

    def search_only_truth(self) -> list[PageTruth]:
        """One entry per page of the search-only publishers out by `now` (no feed or sitemap links to them)."""
        base_urls = {s.app.site.name: s.app.base_url for s in self._running()}
        return search_only_truth(self._catalog, base_urls, self._now, self._faults)

    # --- faults and the request log --------------------------------------------------------------

    def set_fault(self, url: str, kind: str, times: int | None = None, **opts: Any) -> None:
        """Switch a fault on for an absolute URL, or for a path ("/feed.xml") on every publisher.
        The query string is ignored."""
        parts = urlsplit(url)
        if parts.scheme:
            matches = [s.app.site.name for s in self._servers if s.address == parts.netloc]
            if not matches:
                raise ValueError(f"{url} is not served by this SimWeb")
            publisher: str | None = matches[0]
        elif url.startswith("/"):
            publisher = None
        else:
            raise ValueError(f"set_fault wants an absolute URL or a path starting with '/', not {url!r}")
        self._faults.set(publisher, parts.path or "/", kind, times, opts)

    def clear_faults(self) -> None:
        self._faults.clear()

    def reset_faults(self) -> None:
        """The faults the web started with, none used yet (one-off faults fire again): runs compared side by
        side each meet the same web."""
        self._faults.clear()
        if self._preset == "demo":
            for publisher, path, fault in demo_faults(self._catalog):
                self._faults.set(publisher, path, fault.kind, fault.times, fault.opts)

    @property
    def requests(self) -> list[RequestLog]:
        """A snapshot of every request answered so far."""
        with self._requests_lock:
            return list(self._requests)

    def clear_requests(self) -> None:
        with self._requests_lock:
            self._requests.clear()

    def _log(self, entry: RequestLog) -> None:
        with self._requests_lock:
            self._requests.append(entry)

    def _app_factory(self, site: Site) -> Callable[[str], SiteApp]:
        return lambda base_url: SiteApp(site, self._catalog, base_url, lambda: self._now)

    def _running(self) -> list[PublisherServer]:
        if not self._servers:
            raise RuntimeError("start() the SimWeb first: addresses are assigned when it starts")
        return self._servers


def _bind(
    host: str,
    app_factory: Callable[[str], SiteApp],
    faults: FaultTable,
    log: Callable[[RequestLog], None],
    port: int = 0,
) -> PublisherServer:
    try:
        return PublisherServer(host, app_factory, faults, log, port)
    except OSError:
        # Not every system routes all of 127.0.0.0/8 (and a fixed port may be taken): distinct ephemeral
        # ports on 127.0.0.1 still tell sites apart.
        return PublisherServer("127.0.0.1", app_factory, faults, log)
