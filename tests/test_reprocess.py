"""The reprocess flow: stored raw pages re-extracted and re-cleaned with new rules, with no network."""

from __future__ import annotations

import re
import shutil

import pytest

from flows.reprocess import reprocess
from tasks.cleanrules import DEFAULT_RULES_DIR

from .conftest import rows

pytestmark = pytest.mark.usefixtures("prefect_harness")

NEW_RULE = """
[[rule]]
id = "de.follow.extra-test-line"
class = "follow"
scope = "line"
pattern = '^{pattern}$'
drop = ['{line}']
keep = ["Die Bundesregierung verurteilte den Vertrag."]
"""


@pytest.fixture
def copy_db(demo_db, tmp_path):
    path, _ = demo_db
    copy = tmp_path / "news.duckdb"
    shutil.copyfile(path, copy)
    return copy


def articles(path):
    return {r[0]: r[1:] for r in rows(path, "SELECT canonical_url, text, extractor_version FROM articles")}


def test_reprocess_with_unchanged_rules_changes_nothing(copy_db, web):
    before = articles(copy_db)
    requests_before = len(web.requests)
    reprocess(db_path=str(copy_db))
    reprocess(db_path=str(copy_db))
    assert articles(copy_db) == before
    assert len(web.requests) == requests_before  # no fetch at all
    assert (
        rows(copy_db, "SELECT flow, status FROM runs WHERE flow = 'reprocess'")
        == [("reprocess", "completed")] * 2
    )


def test_rule_change_updates_stored_articles_without_fetching(copy_db, web, tmp_path):
    target = next(t for t in web.truth() if t.language == "de" and t.expect_loaded)
    line = target.content_lines[-1]
    rules_dir = tmp_path / "rules"
    shutil.copytree(DEFAULT_RULES_DIR, rules_dir)
    assert "'" not in line  # TOML literal strings below
    extra = NEW_RULE.format(pattern=re.escape(line), line=line)
    (rules_dir / "de.toml").write_text(
        (rules_dir / "de.toml").read_text(encoding="utf-8") + extra, encoding="utf-8"
    )
    before = articles(copy_db)
    requests_before = len(web.requests)
    reprocess(db_path=str(copy_db), rules_dir=str(rules_dir))
    after = articles(copy_db)
    assert len(web.requests) == requests_before
    text, version = after[target.canonical_url]
    assert line not in text and line in before[target.canonical_url][0]
    assert version != before[target.canonical_url][1]
    removed = rows(
        copy_db,
        "SELECT rule FROM boilerplate_removed b JOIN articles a USING (article_id) WHERE a.canonical_url = ?",
        [target.canonical_url],
    )
    assert ("de.follow.extra-test-line",) in removed
    # every other article's text is as it was; all now carry the new version
    assert {u: t for u, (t, _) in after.items() if u != target.canonical_url} == {
        u: t for u, (t, _) in before.items() if u != target.canonical_url
    }
    assert len({v for _, v in after.values()}) == 1
    # and again: nothing changes
    reprocess(db_path=str(copy_db), rules_dir=str(rules_dir))
    assert articles(copy_db) == after


def test_reprocess_by_date_range_and_site(copy_db):
    before = dict(rows(copy_db, "SELECT canonical_url, last_run_id FROM articles"))
    from datetime import date

    summary = reprocess(db_path=str(copy_db), start=date(2024, 6, 19), end=date(2024, 6, 19))
    touched = {
        u for u, run in rows(copy_db, "SELECT canonical_url, last_run_id FROM articles") if run != before[u]
    }
    days = dict(rows(copy_db, "SELECT canonical_url, CAST(published_at AS DATE) FROM articles"))
    assert touched and all(str(days[u]) == "2024-06-19" for u in touched)
    assert summary["counts"]["pages"] >= len(touched)
    site = rows(copy_db, "SELECT site FROM articles LIMIT 1")[0][0]
    summary = reprocess(db_path=str(copy_db), site=site)
    assert summary["counts"]["pages"] >= 1
    with pytest.raises(ValueError, match="before start"):
        reprocess.fn(db_path=str(copy_db), start=date(2024, 6, 20), end=date(2024, 6, 19))
