"""The archive explains itself: every table, view and column has a comment; the README shows them all."""

from __future__ import annotations

from tasks import datadict


def test_every_table_view_and_column_is_commented():
    assert datadict.undocumented() == []


def test_readme_data_dictionary_equals_the_generated_one():
    section = datadict.readme_section()
    assert section is not None, (
        "README.md has no data dictionary section: run `newsmon schema --write-readme`"
    )
    assert section == datadict.markdown(), "README.md is stale: run `newsmon schema --write-readme`"


def test_search_internals_are_listed_under_their_own_schema():
    names = [o.name for o in datadict.describe()]
    assert "search_index.docs" in names and "docs" not in names
    assert names.index("articles") < names.index("search_index.docs")
