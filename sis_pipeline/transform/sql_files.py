"""Run the transform's SQL files, which live next to this module.

A file may hold several statements; they run in order on the caller's connection. Settings
reach the SQL through the `run_settings` temp table (see `run_settings.py`), not by string
formatting, so the files stay plain SQL.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path

import duckdb

SQL_DIR = Path(__file__).parent


@cache
def sql_text(name: str) -> str:
    return (SQL_DIR / f"{name}.sql").read_text(encoding="utf-8")


def run_sql(con: duckdb.DuckDBPyConnection, name: str) -> None:
    con.execute(sql_text(name))


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """Everything done meanwhile commits together, or not at all."""
    con.execute("BEGIN TRANSACTION")
    try:
        yield
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise


def run_sql_atomically(con: duckdb.DuckDBPyConnection, *names: str) -> None:
    """Run the files in one transaction, so the `sync` tables they replace change together."""
    with transaction(con):
        for name in names:
            run_sql(con, name)
