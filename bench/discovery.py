"""Discovery throughput and robustness: a 50,000-URL news sitemap, and a corpus of real-world feeds.

sitemap  a generated news sitemap of --urls entries (the format's maximum is 50,000) served on loopback:
         bare lxml (parse and walk the <loc>s: the library newsmon builds on), `parse_sitemap` alone, and
         the whole hand-over (SitemapSource.stream through a ServiceFetcher, then canonical_candidates)
corpus   every *.xml under a directory (e.g. feedparser's own test feeds): bare `feedparser.parse` against
         newsmon's listing stream (FeedSource / SitemapSource over a stub fetch): crashes, candidates,
         items and dates set aside, seconds

  uv run python bench/discovery.py [--urls 50000] [--repeat 3] [--corpus DIR] [--json]
"""

from __future__ import annotations

import argparse
import json
import sys
import threading
import time
from collections import Counter
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import feedparser  # noqa: E402
from lxml import etree  # noqa: E402

from tasks.discover import parse_sitemap, read_source  # noqa: E402
from tasks.fetch_policy import FetchPolicy  # noqa: E402
from tasks.models import FetchResult, Source  # noqa: E402
from tasks.sources import open_source  # noqa: E402
from tasks.sources.service import ServiceFetcher  # noqa: E402
from tasks.sources.state import SourceState  # noqa: E402
from tasks.stages import canonical_candidates  # noqa: E402

NOW = datetime(2024, 11, 30, 6, tzinfo=UTC)


def news_sitemap(urls: int) -> bytes:
    entries = "".join(
        f"<url><loc>https://desk.example/world/2024/06/{n % 28 + 1:02d}/pact-story-{n}.html?utm_source=sm</loc>"
        "<news:news><news:publication><news:name>Desk</news:name><news:language>en</news:language>"
        f"</news:publication><news:publication_date>2024-06-{n % 28 + 1:02d}T08:{n % 60:02d}:00+09:00"
        f"</news:publication_date><news:title>Putin and Kim sign pact, part {n}</news:title></news:news></url>"
        for n in range(urls)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">' + entries + "</urlset>"
    ).encode()


def serve(body: bytes) -> tuple[ThreadingHTTPServer, str]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            if self.path == "/robots.txt":
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", "application/xml")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/sitemap-news.xml"


def best(repeat: int, work) -> tuple[float, object]:
    seconds, out = float("inf"), None
    for _ in range(repeat):
        started = time.perf_counter()
        out = work()
        seconds = min(seconds, time.perf_counter() - started)
    return seconds, out


def sitemap_figures(urls: int, repeat: int) -> dict[str, float]:
    body = news_sitemap(urls)
    ns = "{http://www.sitemaps.org/schemas/sitemap/0.9}"

    def bare() -> int:
        root = etree.fromstring(body, etree.XMLParser(resolve_entities=False, no_network=True))
        return sum(1 for node in root.iter(f"{ns}loc") if node.text)

    source = Source("desk", "sitemap", "http://127.0.0.1/sitemap-news.xml", "en", delay=0.0)
    bare_s, bare_n = best(repeat, bare)
    parse_s, (found, _) = best(repeat, lambda: parse_sitemap(body, source))
    server, url = serve(body)
    source = Source("desk", "sitemap", url, "en", delay=0.0)
    policy = FetchPolicy(allow_networks=("127.0.0.0/8",), delay=0.0)
    try:

        def hand_over() -> int:
            with ServiceFetcher(policy, max_bytes=200_000_000) as http:
                state = SourceState()
                kept, _, _ = canonical_candidates(
                    list(open_source(source).stream(None, http, state, now=NOW))
                )
            return len(kept)

        over_s, kept = best(repeat, hand_over)
    finally:
        server.shutdown()
    return {
        "urls": urls,
        "bytes": len(body),
        "lxml_s": bare_s,
        "lxml_locs": bare_n,
        "parse_s": parse_s,
        "parse_candidates": len(found),
        "handover_s": over_s,
        "handover_candidates": kept,
    }


class StubFetch:
    def __init__(self, url: str, body: bytes) -> None:
        self.url, self.body = url, body

    def __call__(self, url: str, etag: str | None = None, last_modified: str | None = None) -> FetchResult:
        if url == self.url:
            return FetchResult(url, status=200, ok=True, body=self.body, etag='"bench"')
        return FetchResult(url, status=404, error="http_404")


def corpus_figures(root: Path) -> dict[str, float]:
    files = sorted(root.rglob("*.xml"))
    bodies = [(path, path.read_bytes()) for path in files]
    lib = Counter()
    started = time.perf_counter()
    for _, body in bodies:
        try:
            parsed = feedparser.parse(body)
            lib["entries"] += len(parsed.entries)
            lib["bozo"] += bool(parsed.bozo)
        except Exception:  # noqa: BLE001 - counted: this is what the bench measures
            lib["crashes"] += 1
    lib_s = time.perf_counter() - started
    ours = Counter()
    skipped: Counter = Counter()
    started = time.perf_counter()
    for path, body in bodies:
        is_sitemap = b"<urlset" in body[:2000] or b"<sitemapindex" in body[:2000]
        source = Source("corpus", "sitemap" if is_sitemap else "rss", f"http://corpus.example/{path.name}")
        try:
            found, check = read_source(source, StubFetch(source.url, body))
        except Exception:  # noqa: BLE001
            ours["crashes"] += 1
            continue
        ours["candidates"] += len(found)
        ours["source_errors"] += check.error is not None
        ours["etag_kept"] += check.etag == '"bench"'
        skipped.update(check.skipped)
    ours_s = time.perf_counter() - started
    return {
        "files": len(files),
        "feedparser_s": lib_s,
        "feedparser_crashes": lib["crashes"],
        "feedparser_entries": lib["entries"],
        "feedparser_bozo": lib["bozo"],
        "newsmon_s": ours_s,
        "newsmon_crashes": ours["crashes"],
        "newsmon_candidates": ours["candidates"],
        "newsmon_source_errors": ours["source_errors"],
        "newsmon_etag_kept": ours["etag_kept"],
        "newsmon_set_aside": dict(skipped),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--urls", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--corpus", type=Path, help="a directory of feeds, e.g. feedparser's tests/")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    figures: dict[str, object] = {"sitemap": sitemap_figures(args.urls, args.repeat)}
    if args.corpus:
        figures["corpus"] = corpus_figures(args.corpus)
    if args.json:
        print(json.dumps(figures, indent=2))
        return
    s = figures["sitemap"]
    print(f"news sitemap: {s['urls']:,} URLs, {s['bytes'] / 1e6:.1f} MB (best of {args.repeat})")
    print(
        f"  lxml parse + walk <loc>       {s['lxml_s']:6.2f} s  {s['lxml_locs'] / s['lxml_s']:>9,.0f} URLs/s"
    )
    print(
        f"  parse_sitemap                 {s['parse_s']:6.2f} s  {s['parse_candidates'] / s['parse_s']:>9,.0f} URLs/s"
    )
    print(
        f"  loopback GET + stream + canon {s['handover_s']:6.2f} s  "
        f"{s['handover_candidates'] / s['handover_s']:>9,.0f} URLs/s ({s['handover_candidates']:,} handed over)"
    )
    if "corpus" in figures:
        c = figures["corpus"]
        print(f"corpus: {c['files']} files")
        print(
            f"  feedparser.parse   {c['feedparser_s']:6.2f} s  crashes {c['feedparser_crashes']}  "
            f"entries {c['feedparser_entries']}  bozo {c['feedparser_bozo']}"
        )
        print(
            f"  newsmon listings   {c['newsmon_s']:6.2f} s  crashes {c['newsmon_crashes']}  "
            f"candidates {c['newsmon_candidates']}  source errors {c['newsmon_source_errors']}  "
            f"ETag kept {c['newsmon_etag_kept']}/{c['files']}"
        )
        print(f"  set aside: {c['newsmon_set_aside']}")


if __name__ == "__main__":
    main()
