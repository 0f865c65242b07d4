"""Search and history services over the simulated web: Google News RSS search (with its link decoder),
the GDELT DOC 2.0 API, GDELT GKG 15-minute files and a Wayback-style archive with its CDX server.

with SimWeb(now=datetime(2024, 11, 30, tzinfo=UTC), faults=None, services=True) as web:
    web.service_urls  # {"gnews": ".../rss/search", "gdelt": ".../api/v2/doc/doc", "gkg": ".../gdeltv2/", "cdx": origin}
    web.services.gnews.cap = 5  # knobs per service: caps, GDELT pacing, GKG noise rows
    web.services.set_fault("gdelt", "/api/v2/doc/doc", "429", times=1)  # 500, 429, malformed, slow

Each module's docstring says what its service answers and how it mirrors the real one.
"""

from simweb.services.server import SERVICE_HOSTS, Services

__all__ = ["SERVICE_HOSTS", "Services"]
