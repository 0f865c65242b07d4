"""The pipeline's database: one object that knows the file, opens connections and transactions, and hands each
write to the repository of its table group (`tasks/repos/`). It holds no SQL of its own.

Every write is one transaction over a whole batch.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path

import duckdb
from tasks import db, killpoint
from tasks.dedupe import KnownArticle
from tasks.models import Candidate, FetchResult, Outcome, RawPage, Source
from tasks.process import Templates
from tasks.repos import articles, backfills, frontier, pages, raw_bodies, runs, source_state
from tasks.repos import dates as dates_repo
from tasks.repos import dedupe as dedupe_repo
from tasks.repos import templates as template_repo
from tasks.repos.frontier import FINAL, PendingUrl, UrlStatus
from tasks.templates import PageLines, TemplateSettings

FINAL_STATUSES = tuple(s.value for s in FINAL)
__all__ = ["FINAL_STATUSES", "PendingUrl", "Store", "UrlStatus"]


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    con.execute("BEGIN TRANSACTION")
    try:
        yield con
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")


class Store:
    def __init__(
        self,
        path: Path,
        *,
        lock_timeout: float = 120.0,
        read_only: bool = False,
        template_settings: TemplateSettings | None = None,
        memory_limit: str | None = None,
    ):
        self.path = Path(path)
        self.lock_timeout = lock_timeout
        self.read_only = read_only  # analysts' tools open the snapshot this way
        self.template_settings = template_settings or TemplateSettings()
        self._session: duckdb.DuckDBPyConnection | None = None
        self.memory_limit = memory_limit

    def connect(self, read_only: bool = False):
        if self._session is not None:
            return self._cursor()
        return db.connect(self.path, read_only=read_only or self.read_only, lock_timeout=self.lock_timeout)

    @contextmanager
    def _cursor(self) -> Iterator[duckdb.DuckDBPyConnection]:
        cursor = self._session.cursor()
        try:
            cursor.execute("SET TimeZone = 'UTC'")
            yield cursor
        finally:
            cursor.close()

    @contextmanager
    def session(self) -> Iterator[Store]:
        """Keep the database open for a run: every `connect` in the block is a cursor of one connection.

        Opening a DuckDB file costs tens of milliseconds and closing it checkpoints it; a run that connects per
        batch and per step would pay that hundreds of times. Cursors are not shared across threads.
        """
        if self._session is not None:
            yield self
            return
        with db.connect(self.path, read_only=self.read_only, lock_timeout=self.lock_timeout) as con:
            if self.memory_limit:
                con.execute(f"SET memory_limit = '{self.memory_limit}'")  # validated by the settings' pattern
            self._session = con
            try:
                yield self
            finally:
                self._session = None

    @contextmanager
    def writing(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A connection inside one transaction: everything written in the block lands together or not at all."""
        with self.connect() as con, transaction(con):
            yield con

    def migrate(self) -> int:
        with self.connect() as con:
            return db.migrate(con)

    # -- runs -------------------------------------------------------------------------------------------
    def start_run(self, run_id: str, flow: str, params: dict, started_at: datetime) -> None:
        with self.connect() as con:
            runs.start(con, run_id, flow, params, started_at)

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
            runs.finish(con, run_id, status, counts, drops, finished_at, error)

    # -- sources ----------------------------------------------------------------------------------------
    def sync_sources(self, sources: Iterable[Source]) -> None:
        with self.writing() as con:
            source_state.sync(con, sources)

    # -- frontier ---------------------------------------------------------------------------------------
    def add_candidates(self, candidates: list[Candidate], run_id: str, seen_at: datetime) -> int:
        with self.writing() as con:
            return frontier.add_candidates(con, candidates, run_id, seen_at)

    def record_url_sources(self, pairs: set[tuple[str, str]], seen_at: datetime) -> None:
        with self.writing() as con:
            frontier.record_url_sources(con, pairs, seen_at)

    def known_urls(self, urls: list[str]) -> set[str]:
        with self.connect() as con:
            return frontier.known_urls(con, urls)

    def pending(
        self, *, max_attempts: int, urls: list[str] | None = None, refetch: bool = False
    ) -> list[PendingUrl]:
        with self.connect() as con:
            return frontier.pending(con, max_attempts=max_attempts, urls=urls, refetch=refetch)

    def processed_urls(
        self,
        *,
        start: date | None = None,
        end: date | None = None,
        site: str | None = None,
        quarantined: bool = False,
    ) -> list[str]:
        """Decided pages with a raw page, by the publisher's local publication day (both ends included); with
        `quarantined`, the quarantined ones instead."""
        with self.connect() as con:
            return frontier.processed_urls(con, start=start, end=end, site=site, quarantined=quarantined)

    def urls_for_days(self, start: date, end: date, *, status: str | None = None) -> list[str]:
        """Pages any of whose date signals (or the chosen day) names a day in [start, end]; with `status`, only
        URLs in that status."""
        with self.connect() as con:
            return dates_repo.urls_for_days(con, start, end, status=status)

    # -- fetch results and raw pages --------------------------------------------------------------------
    def save_fetches(
        self, results: list[FetchResult], run_id: str, fetched_at: datetime, *, max_attempts: int
    ) -> None:
        with self.writing() as con:
            pages.save_fetches(con, results, run_id, fetched_at, max_attempts=max_attempts)

    def redecode(self, urls: list[str], batch_size: int = 500) -> list[str]:
        """Decode the kept body bytes of `urls` again with the current decoder, batch by batch; raw_pages is
        rewritten where the charset or the text changed (a better decoder repairs a page). The URLs rewritten."""
        changed: list[str] = []
        for i in range(0, len(urls), batch_size):
            with self.writing() as con:
                changed += raw_bodies.redecode(con, urls[i : i + batch_size], raw_bodies.current_decoder)
        return changed

    def raw_pages(self, urls: list[str]) -> list[RawPage]:
        with self.connect() as con:
            return pages.raw_pages(con, urls)

    # -- articles ---------------------------------------------------------------------------------------
    def known_articles(self) -> list[KnownArticle]:
        with self.connect() as con:
            return articles.known(con)

    def known_articles_except(self, urls: list[str]) -> list[KnownArticle]:
        with self.connect() as con:
            return articles.known(con, except_urls=urls)

    def load(
        self, outcomes: list[Outcome], run_id: str, loaded_at: datetime, *, replace: bool = False
    ) -> None:
        """Articles, removed snippets, sightings, page lines, date signals and URL outcomes of one batch in one transaction
        (idempotent). With `replace` (reprocessing), earlier decisions about these URLs are withdrawn first."""
        with self.writing() as con:
            if replace:
                dedupe_repo.forget(
                    con, [o.url for o in outcomes]
                )  # keys and story links written afresh below
                articles.withdraw(con, outcomes)
            stored = articles.stored_ids(con, outcomes)  # loaded before: a rerun, or a page decided again
            articles.write(con, outcomes, run_id, loaded_at, stored=stored)  # with the language columns
            dedupe_repo.write(con, outcomes, run_id, loaded_at, stored=stored)  # lookup keys, story links
            killpoint.reached("load-linked")
            # issue 14's date signals in the same transaction (issue 16: a run killed between the two commits
            # left the batch loaded without them, and no later run wrote them)
            dates_repo.save(con, outcomes, run_id, loaded_at)
            template_repo.record_pages(
                con, [o.lines for o in outcomes if o.lines is not None], self.template_settings
            )
            frontier.set_outcomes(
                con,
                [
                    {"url": o.url, "status": o.status, "reason": o.reason, "relevance": o.relevance,
                     "article_id": o.article_id}
                    for o in outcomes
                ],
                run_id,
            )  # fmt: skip

    # -- backfills ---------------------------------------------------------------------------------------
    def finished_windows(self, key: str) -> set[datetime]:
        with self.connect() as con:
            return backfills.finished(con, key)

    def finish_window(
        self, key: str, start: datetime, end: datetime, run_id: str, counts: dict, at: datetime
    ) -> None:
        with self.connect() as con:
            backfills.finish(con, key, start, end, run_id, counts, at)

    def answered_sources(self, key: str, start: datetime) -> set[str]:
        """Sources that answered for the window starting at `start` in an earlier run of this backfill."""
        with self.connect() as con:
            return backfills.answered(con, key, start)

    def record_answered(
        self, key: str, start: datetime, candidates: dict[str, int], run_id: str, at: datetime
    ) -> None:
        with self.writing() as con:
            backfills.record_answered(con, key, start, candidates, run_id, at)

    # -- site templates ---------------------------------------------------------------------------------
    def page_lines(self) -> list[PageLines]:
        with self.connect() as con:
            return template_repo.page_lines(con)

    def load_page_lines(self, rows: list) -> None:
        """Page lines of decided pages, and the learning counts they change, in one transaction."""
        with self.writing() as con:
            template_repo.record_pages(con, rows, self.template_settings)

    def templates(self, version: int | None = None, lead_lines: int = 2) -> Templates:
        with self.connect() as con:
            try:
                return template_repo.templates(con, version, lead_lines)
            except ValueError as exc:
                raise ValueError(f"{exc}: {self.path}") from None

    def learn_templates(self, thresholds: dict, run_id: str, at: datetime) -> tuple[int, set[str]]:
        """Relearn the sites whose pages changed; store a new version when that changes anything.

        Returns the latest version and the sites whose pages must be redone with it (changed now, or left
        stale by a run that stopped before redoing them).
        """
        with self.writing() as con:
            learned, dirty = template_repo.learn_dirty(con, self.template_settings)
            version, _ = template_repo.save_version(con, learned, dirty, thresholds, run_id, at)
            template_repo.mark_learned(con, dirty)
            return version, template_repo.stale_sites(con, version)

    def templates_applied(self, version: int) -> None:
        """Call once the pages of every stale site were redone with `version`."""
        with self.connect() as con:
            template_repo.mark_applied(con, version)
