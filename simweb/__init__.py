"""A simulated web of news publishers on loopback, for tests, the demo and benchmarks.

with SimWeb(now=datetime(2024, 11, 30, tzinfo=UTC), faults="demo") as web:
    sources = web.sources()   # feeds and news sitemaps to discover from
    truth = web.truth()       # what every linked page holds and what newsmon should do with it
"""

from simweb.handler import RequestLog
from simweb.server import Publisher, SimWeb
from simweb.truth import PageTruth

__all__ = ["PageTruth", "Publisher", "RequestLog", "SimWeb"]
