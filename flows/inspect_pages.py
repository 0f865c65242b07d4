"""`newsmon extract` and `newsmon explain`: what the pipeline makes of pages, and why."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from tasks import clock
from tasks.clean import load_rules
from tasks.extract import extract_page
from tasks.models import RawPage
from tasks.process import Analysed, analyse
from tasks.relevance.topic import Topic
from tasks.repos import dates as dates_repo
from tasks.store import Store


@dataclass
class PageReport:
    where: dict  # {"path": ...} or {"url": ...}
    analysed: Analysed | None
    error: str | None = None

    def as_json(self) -> dict:
        if self.analysed is None:
            return {**self.where, "error": self.error}
        a = self.analysed
        return {
            **self.where,
            "title": a.page.title,
            "published": a.dates.published_at.isoformat() if a.dates and a.dates.published_at else None,
            "published_day": a.dates.day.isoformat() if a.dates and a.dates.day else None,
            "date": date_report(a.dates),
            "language": a.language,
            "relevance": round(a.relevance.score, 3),
            "relevant": a.relevance.relevant,
            "matched": a.relevance.matched,
            "canonical_url": a.canonical,
            "text": a.text,
            "removed": [{"snippet": r.snippet, "rule": r.rule, "position": r.position} for r in a.removed],
        }


def analyse_html(html: str, url: str, topic: Topic) -> Analysed:
    raw = RawPage(url=url, final_url=url, html=html, fetched_at=clock.now())
    return analyse(raw, topic, load_rules())


def report_paths_and_urls(targets: list[str], topic: Topic, fetch_policy) -> list[PageReport]:
    """Saved HTML files are read from disk; URLs are fetched (politely, one Fetcher for all)."""
    from tasks.decoding import decode_text
    from tasks.fetch import Fetcher

    reports: list[PageReport] = []
    urls = [t for t in targets if t.startswith(("http://", "https://"))]
    fetched = {}
    if urls:
        with Fetcher(fetch_policy) as fetcher:
            fetched = dict(zip(urls, fetcher.fetch_batch(urls), strict=True))
    for target in targets:
        if target in fetched:
            result = fetched[target]
            if not result.ok or result.text is None:
                reports.append(PageReport({"url": target}, None, result.error or f"http_{result.status}"))
            else:
                reports.append(
                    PageReport({"url": target}, analyse_html(result.text, result.final_url or target, topic))
                )
            continue
        path = Path(target)
        try:
            body = path.read_bytes()
        except OSError as exc:
            reports.append(PageReport({"path": target}, None, f"{type(exc).__name__}: {exc.strerror or exc}"))
            continue
        html, _ = decode_text(body)
        reports.append(PageReport({"path": target}, analyse_html(html, path.resolve().as_uri(), topic)))
    return reports


def report_json_lines(reports: list[PageReport]) -> str:
    return "\n".join(json.dumps(r.as_json(), ensure_ascii=False) for r in reports)


def date_report(choice) -> dict | None:
    """The chosen publication date, its rule and confidence, and every signal (for `extract --json`)."""
    if choice is None:
        return None
    sig = choice.signal
    return {
        "rule": choice.rule,
        "confidence": choice.confidence,
        "local": sig.local.isoformat() if sig and sig.local else None,
        "utc_offset_min": sig.offset_min if sig else None,
        "modified": choice.modified.instant.isoformat() if choice.modified else None,
        "disagreement_days": choice.disagreement_days,
        "signals": [
            {"kind": s.kind, "role": s.role, "day": s.day.isoformat(), "raw": s.raw} for s in choice.signals
        ],
        "dropped": [{"kind": k, "raw": r, "reason": why} for k, r, why in choice.dropped],
    }


@dataclass
class Explained:
    article: dict
    lines: list[tuple[str, str | None, str]]  # (mark, rule, text): mark "keep" | "drop" | "cut"
    date: dict | None = None  # page_dates row of the article (chosen date, rule, confidence)
    date_signals: list[dict] | None = None  # its date_signals rows, in order of trust


def explain_article(store: Store, url: str) -> Explained | None:
    """A stored article with every line of its extracted text, the removed ones marked with their rule."""
    with store.connect(read_only=True) as con:
        row = con.execute(
            "SELECT article_id, url, canonical_url, title, published_at, language, site, relevance, matched_terms, "
            "extractor_version, text FROM articles WHERE url = ? OR canonical_url = ?",
            [url, url],
        ).fetchone()
        if row is None:
            return None
        cols = [
            "article_id",
            "url",
            "canonical_url",
            "title",
            "published_at",
            "language",
            "site",
            "relevance",
            "matched_terms",
            "extractor_version",
            "text",
        ]
        article = dict(zip(cols, row, strict=True))
        removed = con.execute(
            "SELECT position, rule, snippet FROM boilerplate_removed WHERE article_id = ? ORDER BY position",
            [article["article_id"]],
        ).fetchall()
        chosen_date, signals = dates_repo.explain(con, article["url"])
    raw = store.raw_pages([article["url"]])
    if not raw:
        # no raw page (should not happen): show the clean text and the removals after it
        lines = [("keep", None, line) for line in article["text"].splitlines()]
        lines += [("drop", rule, snippet) for _, rule, snippet in removed]
        return Explained(article, lines, chosen_date, signals)
    page = extract_page(raw[0].html, raw[0].final_url or raw[0].url)
    by_position: dict[int, list[tuple[str, str]]] = {}
    for position, rule, snippet in removed:
        by_position.setdefault(position, []).append((rule, snippet))
    lines = []
    for i, line in enumerate(page.text.split("\n")):
        cuts = by_position.get(i, [])
        if any(snippet.strip() == line.strip() for _, snippet in cuts):
            lines.append(("drop", cuts[0][0], line))
            continue
        lines.append(("keep", None, line))
        for rule, snippet in cuts:
            lines.append(("cut", rule, snippet))
    return Explained(article, lines, chosen_date, signals)
