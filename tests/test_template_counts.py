"""Incremental template learning (counts kept per site and line, batch by batch) equals learning from scratch."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tasks.models import PageLinesRow
from tasks.repos import templates as repo
from tasks.store import Store
from tasks.templates import TemplateSettings, learn_templates

from .test_templates import _MIXED, DEFAULTS, KABAR, WHATSAPP

AT = datetime(2024, 12, 1, tzinfo=UTC)


def _row(page) -> PageLinesRow:
    return PageLinesRow(page.url, page.site, page.day, page.relevant, page.title, page.lines)


@pytest.fixture(scope="module")
def template_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("templates") / "news.duckdb"
    Store(path).migrate()
    return path


def _fresh(template_db) -> Store:
    store = Store(template_db)
    with store.writing() as con:
        for table in ("page_lines", "template_page_lines", "template_line_counts", "template_line_days",
                      "template_sites", "template_state", "site_templates", "template_versions"):  # fmt: skip
            con.execute(f"DELETE FROM {table}")
    return store


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(order=st.permutations(range(len(_MIXED))), cuts=st.lists(st.integers(1, len(_MIXED) - 1), max_size=4))
def test_counts_kept_batch_by_batch_learn_what_learning_from_scratch_learns(template_db, order, cuts):
    store = _fresh(template_db)
    pages = [_MIXED[i] for i in order]
    bounds = [0, *sorted(set(cuts)), len(pages)]
    for lo, hi in zip(bounds, bounds[1:], strict=False):
        store.load_page_lines([_row(p) for p in pages[lo:hi]])
    # pages decided again (a redo) withdraw what they counted before
    store.load_page_lines([_row(p) for p in pages[: len(pages) // 3]])
    with store.connect() as con:
        learned, dirty = repo.learn_dirty(con, DEFAULTS)
    assert learned == learn_templates(store.page_lines(), DEFAULTS)
    assert dirty == {p.site for p in _MIXED}


def test_learning_reads_only_sites_that_changed_and_a_stopped_redo_is_finished_later(template_db):
    store = _fresh(template_db)
    store.load_page_lines([_row(p) for p in _MIXED])
    version, stale = store.learn_templates({}, "run-1", AT)
    assert version == 1 and stale == {p.site for p in _MIXED}
    # the run stops before redoing the pages: the next run still knows they are stale
    assert store.learn_templates({}, "run-2", AT) == (1, stale)
    store.templates_applied(1)
    assert store.learn_templates({}, "run-3", AT) == (1, set())
    with store.connect() as con:
        assert repo.learn_dirty(con, DEFAULTS) == ({}, set())  # nothing changed since
    kabar = [p for p in _MIXED if p.site == KABAR]
    store.load_page_lines([_row(kabar[0])])
    with store.connect() as con:
        learned, dirty = repo.learn_dirty(con, DEFAULTS)
    assert dirty == {KABAR} and WHATSAPP.upper() in learned[KABAR].values()


def test_other_thresholds_recount_from_stored_pages(template_db):
    store = _fresh(template_db)
    store.load_page_lines([_row(p) for p in _MIXED])
    strict = TemplateSettings(min_pages=50)
    with store.connect() as con:
        assert repo.learn_dirty(con, strict) == ({}, {p.site for p in _MIXED})
        assert repo.learn_dirty(con, DEFAULTS)[0] == learn_templates(store.page_lines(), DEFAULTS)
