"""Repositories: the SQL of one table group each, as functions over an open DuckDB connection.

Write functions take `con` inside the caller's transaction, so one batch is one transaction whatever tables it
touches; batches are written in bulk through `tasks.repos.bulk`, never row by row.
"""
