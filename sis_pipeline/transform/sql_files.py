"""Run the transform's SQL files, which live next to this module.

A file may hold several statements; they run in order on the caller's connection. Settings
reach the SQL through the `run_settings` temp table (see `run_settings.py`), not by string
formatting, so the files stay plain SQL.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import duckdb

SQL_DIR = Path(__file__).parent


@cache
def sql_text(name: str) -> str:
    return (SQL_DIR / f"{name}.sql").read_text(encoding="utf-8")


def run_sql(con: duckdb.DuckDBPyConnection, name: str) -> None:
    con.execute(sql_text(name))


def run_sql_atomically(con: duckdb.DuckDBPyConnection, *names: str) -> None:
    """Run the files in one transaction, so the `sync` tables they replace change together."""
    con.execute("BEGIN TRANSACTION")
    try:
        for name in names:
            run_sql(con, name)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
