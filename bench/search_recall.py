"""Search recall per language: newsmon's every-language index next to DuckDB fts as the pipeline used to build it.

    uv run python bench/search_recall.py DB.duckdb [--terms N]

For every term of config/topics.toml (prefix terms such as "росси*" aside) and a few inflected words, the
articles that contain it are counted from the text itself (CJK: the characters in sequence; other scripts: the
word, or for inflected words any listed form), then each index is asked. Prints found / containing per language.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tasks import db, search_index  # noqa: E402
from tasks.relevance.topic import load_topic  # noqa: E402

CJK = ("ja", "zh", "ko")
# query -> forms an article may hold (inflections)
FORMS = {
    "ru": {
        "Пхеньян": ["пхеньян", "пхеньяна", "пхеньяне", "пхеньяну"],
        "Россия": ["россия", "россии", "россией", "россию"],
        "договор": ["договор", "договора", "договоре", "договором"],
    },
    "de": {"Vertrag": ["vertrag", "vertrags", "vertrages", "verträge"]},
    "en": {"treaty": ["treaty", "treaties"]},
}


def contains(folded: str, language: str, forms: list[str]) -> bool:
    if language in CJK:
        return any(f in folded for f in forms)
    return any(re.search(rf"(?<!\w){re.escape(f)}(?!\w)", folded) for f in forms)


def plain_fts(con, query: str) -> set[str]:
    """The index the pipeline built before (stemmer none, default tokenizer): fts_main_articles."""
    found = con.execute(
        "SELECT article_id FROM (SELECT article_id, fts_main_articles.match_bm25(article_id, ?, conjunctive := 1) "
        "AS s FROM articles) WHERE s IS NOT NULL",
        [query],
    ).fetchall()
    return {r[0] for r in found}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("db", type=Path)
    args = parser.parse_args()
    with db.connect(args.db, read_only=True) as con:
        db.load_fts(con)
        articles = con.execute(
            "SELECT article_id, language, coalesce(title, '') || chr(10) || text FROM articles"
        ).fetchall()
        by_lang = defaultdict(list)
        for article_id, language, text in articles:
            by_lang[language].append((article_id, search_index.fold(text).replace("ё", "е")))
        topic = load_topic()
        queries = defaultdict(dict)
        for group in topic.groups.values():
            for language, terms in group.terms.items():
                for term in terms:
                    if not term.endswith("*"):
                        queries[language][term] = [search_index.fold(term).replace("ё", "е")]
        for language, forms in FORMS.items():
            queries[language].update(forms)
        print(f"{len(articles)} articles in {args.db}")
        print(
            "| language | terms asked | articles containing them | found by DuckDB fts (fts_main_articles) "
            "| found by newsmon search | newsmon hits without the term |"
        )
        print("|---|---|---|---|---|---|")
        for language in topic.languages:
            total = plain = ours = asked = extra = 0
            for query, forms in queries[language].items():
                holding = {a for a, folded in by_lang[language] if contains(folded, language, forms)}
                if not holding:
                    continue
                asked += 1
                total += len(holding)
                plain += len(holding & plain_fts(con, query))
                hits = {h.article_id for h in search_index.search(con, query, languages=[language])}
                ours += len(holding & hits)
                extra += len(hits - holding)
            print(
                f"| {language} | {asked} | {total} | {plain} ({plain / max(total, 1):.0%}) "
                f"| {ours} ({ours / max(total, 1):.0%}) | {extra} |"
            )


if __name__ == "__main__":
    main()
