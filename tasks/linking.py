"""Saved pages through the pipeline's own stages, in memory: extraction, cleaning, relevance, grouping, stories.

What `newsmon dedupe` and `bench/stories.py` run; the same `analyse` and `decide` as the nightly flow, with
an empty index instead of the database's candidates.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from tasks import clock
from tasks.clean import load_rules
from tasks.dedupe import DedupeIndex
from tasks.models import RawPage
from tasks.process import analyse, decide, pipeline_version
from tasks.relevance.topic import Topic, load_topic

_URL_IN_PAGE = re.compile(
    r"""<link[^>]+rel=["']canonical["'][^>]*href=["']([^"']+)|<meta[^>]+property=["']og:url["'][^>]*content=["']([^"']+)""",
    re.I,
)


class ManifestError(ValueError):
    pass


@dataclass(frozen=True)
class SavedPage:
    path: str
    url: str | None
    html: str


def url_in_page(html: str) -> str | None:
    match = _URL_IN_PAGE.search(html)
    return (match.group(1) or match.group(2)) if match else None


def read_manifest(path: Path) -> dict[str, str]:
    urls = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            entry = json.loads(line)
            urls[str(entry["path"])] = str(entry["url"])
        except (ValueError, KeyError, TypeError) as exc:
            raise ManifestError(f'{path}:{number}: expected {{"path": ..., "url": ...}} ({exc})') from exc
    return urls


def link_pages(
    pages: list[SavedPage], topic: Topic | None = None, rules_dir: str | None = None
) -> list[dict]:
    """One result per page, in input order: url, canonical, relevant, group, story, relation."""
    topic = topic or load_topic()
    rules = load_rules(rules_dir)
    now = clock.now()
    raws, results = [], {}
    for i, page in enumerate(pages):
        url = page.url or url_in_page(page.html) or f"file://{Path(page.path).resolve()}"
        raws.append((i, RawPage(url=url, final_url=url, html=page.html, fetched_at=now)))
    analysed = {i: analyse(raw, topic, rules) for i, raw in raws}
    by_url = {}
    for i, item in analysed.items():
        by_url.setdefault(item.raw.url, []).append(i)
    index = DedupeIndex([])
    outcomes = decide(list(analysed.values()), index, pipeline_version(rules))
    for outcome in outcomes:
        for i in by_url[outcome.url]:
            item = analysed[i]
            story = outcome.story
            results[i] = {
                "path": pages[i].path,
                "url": item.raw.url,
                "canonical": item.canonical,
                "relevant": item.relevance.relevant,
                "status": outcome.status,
                "group": outcome.article_id,
                "story": index.resolve(story.story_id) if story else None,  # merged stories resolve
                "relation": story.relation if story else None,
                "evidence": story.evidence if story else None,
            }
    return [results[i] for i in range(len(pages))]
