"""Bulk writes through Arrow: DuckDB inserts a registered pyarrow table ~160x faster than `executemany`.

Every per-batch write goes through here: build the batch's rows, then one `INSERT ... SELECT` (or `UPDATE ...
FROM`) per table inside the caller's transaction.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime

import pyarrow as pa

import duckdb

_names = itertools.count()


def arrow_table(rows: Sequence[Mapping], columns: Sequence[str], schema: pa.Schema | None = None) -> pa.Table:
    """Rows (mappings) as an Arrow table with exactly `columns`, in that order."""
    data = {c: [_plain(r.get(c)) for r in rows] for c in columns}
    if schema is not None:
        return pa.table(data, schema=schema)
    return pa.table(data)


def _plain(value):
    # Arrow wants one time zone per column: every instant goes in as UTC (a naive time is taken as UTC).
    if isinstance(value, datetime):
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    return value


@contextmanager
def registered(con: duckdb.DuckDBPyConnection, table: pa.Table):
    """`table` visible to SQL under a fresh name for the duration of the block."""
    name = f"_batch_{next(_names)}"
    con.register(name, table)
    try:
        yield name
    finally:
        con.unregister(name)


def insert(
    con: duckdb.DuckDBPyConnection,
    table: str,
    rows: Sequence[Mapping],
    columns: Sequence[str],
    *,
    on_conflict: str = "",
    schema: pa.Schema | None = None,
) -> int:
    """`INSERT INTO table (columns) SELECT columns FROM <rows> [on_conflict]`; returns the number of rows given.

    `on_conflict` is the statement's tail, e.g. `ON CONFLICT DO NOTHING` or `ON CONFLICT (k) DO UPDATE SET ...`.
    """
    if not rows:
        return 0
    cols = ", ".join(columns)
    with registered(con, arrow_table(rows, columns, schema)) as name:
        con.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM {name} {on_conflict}")
    return len(rows)


def update(
    con: duckdb.DuckDBPyConnection,
    table: str,
    rows: Sequence[Mapping],
    *,
    key: str,
    set_sql: str,
    columns: Sequence[str],
    schema: pa.Schema | None = None,
) -> int:
    """`UPDATE table SET <set_sql> FROM <rows> AS b WHERE table.key = b.key` (set_sql refers to `b.<column>`)."""
    if not rows:
        return 0
    with registered(con, arrow_table(rows, columns, schema)) as name:
        con.execute(f"UPDATE {table} SET {set_sql} FROM {name} AS b WHERE {table}.{key} = b.{key}")
    return len(rows)
