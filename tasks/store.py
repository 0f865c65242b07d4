"""Reads and writes of the pipeline's tables. Every write is one transaction over a whole batch."""

from __future__ import annotations

import hashlib
import json
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb
from tasks import db
from tasks.dedupe import KnownArticle
from tasks.models import Candidate, FetchResult, Outcome, RawPage, Source
from tasks.process import Templates
from tasks.templates import PageLines
from tasks.repos import languages  # issue 13

ARTICLE_COLUMNS = (
    "article_id, url, canonical_url, title, authors, published_at, language, site, source, text, text_hash, "
    "relevance, matched_terms, story_id, extraction_method, extractor_version, template_version, first_run_id, "
    "last_run_id, loaded_at"
)
FINAL_STATUSES = ("loaded", "duplicate", "irrelevant", "failed_permanent", "no_text")


@dataclass(frozen=True)
class PendingUrl:
    url: str
    status: str  # new | failed | fetched
    source: str
    language_hint: str | None
    published_hint: datetime | None
    fetch_url: str | None = None


def _transaction(con: duckdb.DuckDBPyConnection):
    class _Tx:
        def __enter__(self):
            con.execute("BEGIN TRANSACTION")
            return con

        def __exit__(self, exc_type, exc, tb):
            con.execute("ROLLBACK" if exc_type else "COMMIT")
            return False

    return _Tx()


class Store:
    def __init__(self, path: Path, *, lock_timeout: float = 120.0, read_only: bool = False):
        self.path = Path(path)
        self.lock_timeout = lock_timeout
        self.read_only = read_only  # analysts' tools open the snapshot this way

    def connect(self, read_only: bool = False):
        return db.connect(self.path, read_only=read_only or self.read_only, lock_timeout=self.lock_timeout)

    def migrate(self) -> int:
        with self.connect() as con:
            return db.migrate(con)

    # -- runs -------------------------------------------------------------------------------------------
    def start_run(self, run_id: str, flow: str, params: dict, started_at: datetime) -> None:
        with self.connect() as con:
            con.execute(
                "INSERT INTO runs (run_id, flow, params, started_at, status) VALUES (?, ?, ?, ?, 'running') "
                "ON CONFLICT (run_id) DO UPDATE SET status = 'running', started_at = excluded.started_at",
                [run_id, flow, json.dumps(params, default=str), started_at],
            )

    def finish_run(
        self,
        run_id: str,
        status: str,
        counts: dict,
        drops: dict,
        finished_at: datetime,
        error: str | None = None,
    ) -> None:
        with self.connect() as con:
            con.execute(
                "UPDATE runs SET status = ?, counts = ?, drops = ?, finished_at = ?, error = ? WHERE run_id = ?",
                [status, json.dumps(counts), json.dumps(drops), finished_at, error, run_id],
            )

    # -- sources ----------------------------------------------------------------------------------------
    def sync_sources(self, sources: Iterable[Source]) -> None:
        rows = [(s.name, s.kind, s.url, s.language, s.delay) for s in sources]
        if not rows:
            return
        with self.connect() as con, _transaction(con):
            con.executemany(
                "INSERT INTO sources (name, kind, url, language, delay) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT (name) DO UPDATE SET kind = excluded.kind, url = excluded.url, "
                "language = excluded.language, delay = excluded.delay, "
                # a moved feed starts its conditional-GET state afresh
                "etag = CASE WHEN sources.url = excluded.url THEN sources.etag END, "
                "last_modified = CASE WHEN sources.url = excluded.url THEN sources.last_modified END",
                rows,
            )

    def source_states(self) -> dict[str, tuple[str | None, str | None]]:
        with self.connect() as con:
            rows = con.execute("SELECT name, etag, last_modified FROM sources").fetchall()
        return {name: (etag, lm) for name, etag, lm in rows}

    def record_source_checks(self, checks: list[dict], checked_at: datetime) -> None:
        """checks: name, status, error, etag, last_modified, items (a 304 keeps the stored validators)."""
        with self.connect() as con, _transaction(con):
            for c in checks:
                con.execute(
                    "UPDATE sources SET last_checked_at = ?, last_status = ?, last_error = ?, "
                    "etag = coalesce(?, etag), last_modified = coalesce(?, last_modified), "
                    "failures = CASE WHEN ? IS NULL THEN 0 ELSE failures + 1 END, items_seen = items_seen + ? "
                    "WHERE name = ?",
                    [
                        checked_at,
                        c.get("status"),
                        c.get("error"),
                        c.get("etag"),
                        c.get("last_modified"),
                        c.get("error"),
                        c.get("items", 0),
                        c["name"],
                    ],
                )

    # -- frontier ---------------------------------------------------------------------------------------
    def add_candidates(self, candidates: list[Candidate], run_id: str, seen_at: datetime) -> int:
        """Insert URLs never seen before (canonical URLs expected). Returns how many were new.

        A known URL that was never fetched learns where an archived copy is, if a candidate says so.
        """
        if not candidates:
            return 0
        rows = [
            (c.url, seen_at, c.source, run_id, c.title, c.published, c.language, c.fetch_url, c.archived_at)
            for c in candidates
        ]
        with self.connect() as con, _transaction(con):
            before = con.execute("SELECT count(*) FROM urls").fetchone()[0]
            con.executemany(
                "INSERT INTO urls (url, first_seen, discovered_by, first_run_id, title_hint, published_hint, "
                "language_hint, fetch_url, archived_at, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'new') "
                "ON CONFLICT (url) DO UPDATE SET fetch_url = coalesce(urls.fetch_url, excluded.fetch_url), "
                "archived_at = coalesce(urls.archived_at, excluded.archived_at)",
                rows,
            )
            after = con.execute("SELECT count(*) FROM urls").fetchone()[0]
        return after - before

    def record_url_sources(self, pairs: set[tuple[str, str]], seen_at: datetime) -> None:
        """Every (canonical URL, source) that found it, not only the first source."""
        if pairs:
            with self.connect() as con:
                con.executemany(
                    "INSERT INTO url_sources VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                    [(url, source, seen_at) for url, source in sorted(pairs)],
                )

    def known_urls(self, urls: list[str]) -> set[str]:
        with self.connect() as con:
            rows = con.execute("SELECT url FROM urls WHERE url IN (SELECT unnest(?))", [urls]).fetchall()
        return {u for (u,) in rows}

    def pending(
        self, *, max_attempts: int, urls: list[str] | None = None, refetch: bool = False
    ) -> list[PendingUrl]:
        """URLs with no final outcome: new ones, failed ones with attempts left, fetched-but-unloaded ones.

        With `refetch`, the given `urls` are returned whatever their status (a backfill asked for them again).
        """
        sql = (
            "SELECT url, status, discovered_by, language_hint, published_hint, fetch_url FROM urls WHERE "
            "(status IN ('new', 'fetched') OR (status = 'failed' AND attempts < ?))"
        )
        params: list = [max_attempts]
        if urls is not None:
            # a page left out of an earlier backfill's range waits, fetched, for a backfill that covers it
            sql = sql.replace(
                "SELECT url, status,",
                "SELECT url, CASE status WHEN 'out_of_range' THEN 'fetched' ELSE status END,",
            )
            sql = sql.replace("status IN ('new', 'fetched')", "status IN ('new', 'fetched', 'out_of_range')")
            if refetch:
                sql = (
                    "SELECT url, 'new', discovered_by, language_hint, published_hint, fetch_url FROM urls "
                    "WHERE url IN (SELECT unnest(?::VARCHAR[]))"
                )
                params = [urls]
            else:
                sql += " AND url IN (SELECT unnest(?::VARCHAR[]))"
                params.append(urls)
        with self.connect() as con:
            rows = con.execute(sql + " ORDER BY url", params).fetchall()
        return [PendingUrl(*row) for row in rows]

    # -- fetch results and raw pages --------------------------------------------------------------------
    def save_fetches(
        self, results: list[FetchResult], run_id: str, fetched_at: datetime, *, max_attempts: int
    ) -> None:
        """Every attempt, every raw page and every URL's new status, in one transaction."""
        attempts, raws, statuses = [], [], []
        for r in results:
            for i, a in enumerate(r.attempts, start=1):
                last = i == len(r.attempts)
                attempts.append(
                    (
                        r.url,
                        run_id,
                        i,
                        a.url,
                        a.status,
                        r.bytes if last else None,
                        a.elapsed_ms,
                        a.error,
                        r.etag if last else None,
                        r.last_modified if last else None,
                        fetched_at,
                    )
                )
            if not r.attempts:  # refused before any request (robots, SSRF guard, scheme)
                attempts.append((r.url, run_id, 1, r.url, None, None, 0, r.error, None, None, fetched_at))
            if r.ok and r.text is not None:
                raws.append(
                    (
                        r.url,
                        r.final_url,
                        r.status,
                        r.content_type,
                        r.encoding,
                        hashlib.sha256(r.body or b"").hexdigest(),
                        fetched_at,
                        run_id,
                        zlib.compress(r.text.encode("utf-8"), 6),
                    )
                )
                statuses.append(("fetched", None, r.url))
            else:
                statuses.append(("failed_permanent" if r.permanent else "failed", r.error or "error", r.url))
        with self.connect() as con, _transaction(con):
            if attempts:
                con.executemany("INSERT INTO fetches VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", attempts)
            if raws:
                con.executemany(
                    "INSERT INTO raw_pages VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (url) DO UPDATE SET "
                    "final_url = excluded.final_url, status = excluded.status, content_type = excluded.content_type, "
                    "encoding = excluded.encoding, content_hash = excluded.content_hash, "
                    "fetched_at = excluded.fetched_at, run_id = excluded.run_id, html_zlib = excluded.html_zlib",
                    raws,
                )
            con.executemany(
                "UPDATE urls SET status = CASE WHEN ?1 = 'failed' AND attempts + 1 >= ?4 THEN 'failed_permanent' "
                "ELSE ?1 END, reason = ?2, attempts = attempts + 1, last_fetch_at = ?5, updated_run_id = ?6 "
                "WHERE url = ?3",
                [(s, reason, url, max_attempts, fetched_at, run_id) for s, reason, url in statuses],
            )

    def raw_pages(self, urls: list[str]) -> list[RawPage]:
        if not urls:
            return []
        with self.connect() as con:
            rows = con.execute(
                "SELECT r.url, r.final_url, r.html_zlib, r.fetched_at, u.discovered_by, u.language_hint, "
                "u.published_hint FROM raw_pages r LEFT JOIN urls u USING (url) WHERE r.url IN (SELECT unnest(?))",
                [urls],
            ).fetchall()
        return [
            RawPage(
                url=url,
                final_url=final,
                html=zlib.decompress(blob).decode("utf-8"),
                fetched_at=at,
                source=src,
                language_hint=lang,
                published_hint=pub,
            )
            for url, final, blob, at, src, lang, pub in rows
        ]

    def processed_urls(
        self, *, start: datetime | None = None, end: datetime | None = None, site: str | None = None
    ) -> list[str]:
        """Stored raw pages already decided (loaded, duplicate, irrelevant, no text), by publication time and site.

        `start`/`end` bound the publication time (end exclusive); `site` matches the article's site name or host.
        """
        sql = (
            "SELECT r.url FROM raw_pages r JOIN urls u USING (url) LEFT JOIN articles a ON a.url = r.url "
            "WHERE u.status IN ('loaded', 'duplicate', 'irrelevant', 'no_text')"
        )
        params: list = []
        published = "coalesce(a.published_at, u.published_hint)"
        if start is not None:
            sql += f" AND {published} >= ?"
            params.append(start)
        if end is not None:
            sql += f" AND {published} < ?"
            params.append(end)
        if site:
            sql += " AND (a.site = ? OR split_part(split_part(r.url, '://', 2), '/', 1) = ?)"
            params += [site, site]
        with self.connect() as con:
            return [u for (u,) in con.execute(sql + " ORDER BY r.url", params).fetchall()]

    def known_articles_except(self, urls: list[str]) -> list[KnownArticle]:
        with self.connect() as con:
            rows = con.execute(
                "SELECT a.article_id, a.canonical_url, a.text_hash, m.signature FROM articles a "
                "LEFT JOIN article_minhash m USING (article_id) WHERE a.url NOT IN (SELECT unnest(?))",
                [urls],
            ).fetchall()
        return [KnownArticle(*row) for row in rows]

    # -- articles ---------------------------------------------------------------------------------------
    def known_articles(self) -> list[KnownArticle]:
        with self.connect() as con:
            rows = con.execute(
                "SELECT a.article_id, a.canonical_url, a.text_hash, m.signature FROM articles a "
                "LEFT JOIN article_minhash m USING (article_id)"
            ).fetchall()
        return [KnownArticle(*row) for row in rows]

    def load(
        self, outcomes: list[Outcome], run_id: str, loaded_at: datetime, *, replace: bool = False
    ) -> None:
        """Articles, removed snippets, sightings and URL outcomes of one batch in one transaction (idempotent).

        With `replace` (reprocessing), earlier decisions about these URLs are withdrawn first: a page that is
        no longer an article loses its article row, a page that is no longer a copy loses its sighting.
        """
        articles = [o.article for o in outcomes if o.article is not None]
        article_rows = [
            (
                a.article_id,
                a.url,
                a.canonical_url,
                a.title,
                a.authors,
                a.published_at,
                a.language,
                a.site,
                a.source,
                a.text,
                a.text_hash,
                a.relevance,
                json.dumps(a.matched_terms, ensure_ascii=False),
                a.story_id,
                a.extraction_method,
                a.extractor_version,
                a.template_version,
                run_id,
                run_id,
                loaded_at,
            )
            for a in articles
        ]
        line_rows = [
            (o.lines.url, o.lines.site, o.lines.day, o.lines.relevant, o.lines.title, list(o.lines.lines))
            for o in outcomes
            if o.lines is not None
        ]
        removed_rows = [
            (o.article_id, r.position, r.rule, r.snippet)
            for o in outcomes
            if o.article is not None
            for r in o.removed
        ]
        sighting_rows = [
            (o.url, o.article_id, o.sighting_kind, o.similarity, o.site, o.published_at, run_id, loaded_at)
            for o in outcomes
            if o.status == "duplicate"
        ]
        url_rows = [(o.status, o.reason, o.relevance, o.article_id, run_id, o.url) for o in outcomes]
        with self.connect() as con, _transaction(con):
            if replace:
                urls = [o.url for o in outcomes]
                gone = [o.url for o in outcomes if o.article is None]
                con.execute("DELETE FROM sightings WHERE url IN (SELECT unnest(?))", [urls])
                con.execute(
                    "DELETE FROM boilerplate_removed WHERE article_id IN "
                    "(SELECT article_id FROM articles WHERE url IN (SELECT unnest(?)))",
                    [gone],
                )
                con.execute(
                    "DELETE FROM article_minhash WHERE article_id IN "
                    "(SELECT article_id FROM articles WHERE url IN (SELECT unnest(?)))",
                    [gone],
                )
                con.execute("DELETE FROM articles WHERE url IN (SELECT unnest(?))", [gone])
            if article_rows:
                con.executemany(
                    f"INSERT INTO articles ({ARTICLE_COLUMNS}) VALUES ({', '.join('?' * 20)}) "
                    "ON CONFLICT (article_id) DO UPDATE SET title = excluded.title, authors = excluded.authors, "
                    "published_at = excluded.published_at, language = excluded.language, site = excluded.site, "
                    "text = excluded.text, text_hash = excluded.text_hash, relevance = excluded.relevance, "
                    "matched_terms = excluded.matched_terms, extraction_method = excluded.extraction_method, "
                    "extractor_version = excluded.extractor_version, template_version = excluded.template_version, "
                    "last_run_id = excluded.last_run_id",
                    article_rows,
                )
                con.execute(
                    "DELETE FROM boilerplate_removed WHERE article_id IN (SELECT unnest(?))",
                    [[a.article_id for a in articles]],
                )
                languages.write(con, articles)  # issue 13: language + relevance reason columns
            signatures = [(a.article_id, a.signature) for a in articles if a.signature is not None]
            if signatures:
                con.executemany(
                    "INSERT INTO article_minhash VALUES (?, ?) ON CONFLICT DO UPDATE SET "
                    "signature = excluded.signature",
                    signatures,
                )
            if removed_rows:
                con.executemany(
                    "INSERT INTO boilerplate_removed VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING", removed_rows
                )
            if sighting_rows:
                con.executemany(
                    "INSERT INTO sightings VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (url) DO NOTHING",
                    sighting_rows,
                )
            if line_rows:
                con.executemany(
                    "INSERT INTO page_lines VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (url) DO UPDATE SET site = excluded.site, "
                    "day = excluded.day, relevant = excluded.relevant, title = excluded.title, lines = excluded.lines",
                    line_rows,
                )
            con.executemany(
                "UPDATE urls SET status = ?, reason = ?, relevance = ?, article_id = ?, updated_run_id = ? WHERE url = ?",
                url_rows,
            )

    # -- backfills ---------------------------------------------------------------------------------------
    def finished_windows(self, key: str) -> set[datetime]:
        with self.connect() as con:
            rows = con.execute(
                "SELECT window_start FROM backfill_windows WHERE backfill_key = ?", [key]
            ).fetchall()
        return {start for (start,) in rows}

    def finish_window(
        self, key: str, start: datetime, end: datetime, run_id: str, counts: dict, at: datetime
    ) -> None:
        with self.connect() as con:
            con.execute(
                "INSERT INTO backfill_windows VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO UPDATE SET "
                "finished_at = excluded.finished_at, run_id = excluded.run_id, counts = excluded.counts",
                [key, start, end, at, run_id, json.dumps(counts)],
            )

    def gkg_done(self) -> set[str]:
        with self.connect() as con:
            return {f for (f,) in con.execute("SELECT file FROM gkg_files").fetchall()}

    def record_search(
        self, source: str, finished_files: list[str], unresolved: list[dict], run_id: str, at: datetime
    ) -> None:
        """What a search source finished for good (GKG files) and what it could not resolve, in one transaction."""
        with self.connect() as con, _transaction(con):
            if finished_files:
                con.executemany(
                    "INSERT INTO gkg_files VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
                    [(f, source, at, run_id) for f in finished_files],
                )
            if unresolved:
                con.executemany(
                    "INSERT INTO unresolved_links VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO UPDATE SET "
                    "why = excluded.why, run_id = excluded.run_id, seen_at = excluded.seen_at",
                    [
                        (
                            u.get("url"),
                            source,
                            u.get("title"),
                            u.get("outlet"),
                            u.get("language"),
                            u.get("published"),
                            u.get("why"),
                            run_id,
                            at,
                        )
                        for u in unresolved
                        if u.get("url")
                    ],
                )

    # -- site templates ---------------------------------------------------------------------------------
    def page_lines(self) -> list[PageLines]:
        with self.connect() as con:
            rows = con.execute("SELECT site, url, day, relevant, title, lines FROM page_lines").fetchall()
        return [
            PageLines(site, url, day, relevant, title, tuple(lines))
            for site, url, day, relevant, title, lines in rows
        ]

    def templates(self, version: int | None = None, lead_lines: int = 2) -> Templates:
        """A stored version of the site templates (default: the latest; 0 or none stored: no templates)."""
        with self.connect() as con:
            if version is None:
                version = con.execute("SELECT coalesce(max(version), 0) FROM template_versions").fetchone()[0]
            elif (
                version
                and not con.execute("SELECT 1 FROM template_versions WHERE version = ?", [version]).fetchone()
            ):
                raise ValueError(f"no site-template version {version} in {self.path}")
            rows = con.execute(
                "SELECT site, line_key FROM site_templates WHERE version = ?", [version]
            ).fetchall()
        sites: dict[str, set[str]] = {}
        for site, key in rows:
            sites.setdefault(site, set()).add(key)
        return Templates(version, {site: frozenset(keys) for site, keys in sites.items()}, lead_lines)

    def save_templates(
        self, learned: dict[str, dict[str, str]], settings: dict, run_id: str, at: datetime
    ) -> tuple[int, set[str]]:
        """Store `learned` as a new version when it differs from the latest. Returns (version, sites that changed)."""
        digest = hashlib.sha256(json.dumps(learned, sort_keys=True).encode("utf-8")).hexdigest()
        latest = self.templates()
        if digest == self._template_digest(latest.version):
            return latest.version, set()
        new_sites = {site: frozenset(keys) for site, keys in learned.items()}
        changed = {
            s for s in new_sites.keys() | latest.sites.keys() if new_sites.get(s) != latest.sites.get(s)
        }
        version = latest.version + 1
        with self.connect() as con, _transaction(con):
            con.execute(
                "INSERT INTO template_versions VALUES (?, ?, ?, ?, ?, ?, ?)",
                [
                    version,
                    at,
                    run_id,
                    json.dumps(settings),
                    len(learned),
                    sum(map(len, learned.values())),
                    digest,
                ],
            )
            rows = [
                (version, site, key, example)
                for site, lines in learned.items()
                for key, example in lines.items()
            ]
            if rows:
                con.executemany("INSERT INTO site_templates VALUES (?, ?, ?, ?)", rows)
        return version, changed

    def _template_digest(self, version: int) -> str:
        if not version:
            return hashlib.sha256(json.dumps({}).encode("utf-8")).hexdigest()
        with self.connect() as con:
            return con.execute(
                "SELECT digest FROM template_versions WHERE version = ?", [version]
            ).fetchone()[0]
