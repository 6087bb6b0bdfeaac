"""Temp views `raw_<table>` over the extracted PowerSchool tables, with a fixed shape.

The SQL reads only these views. Each has exactly the columns of the school's extraction
plan, as VARCHAR: a planned column the load did not create (dlt leaves out a column that
was empty in every row) reads as NULL, and a planned table that is missing reads as empty.
A table or column outside the plan reads as absent even when the file still holds it from
an earlier configuration, so stale data of a member type or field that is no longer synced
never reaches the roster. dlt's bookkeeping columns are left out.
"""

from __future__ import annotations

import duckdb

from sis_pipeline.config.models import SchoolSettings
from sis_pipeline.sources.powerschool.settings import READABLE_COLUMNS, extraction_plan

RAW_SCHEMA = "powerschool"


def _existing_columns(con: duckdb.DuckDBPyConnection, schema: str) -> dict[str, set[str]]:
    rows = con.execute(
        "SELECT table_name, column_name FROM information_schema.columns "
        "WHERE table_schema = ? AND table_catalog = current_database()",
        [schema],
    ).fetchall()
    found: dict[str, set[str]] = {}
    for table, column in rows:
        found.setdefault(table.lower(), set()).add(column.lower())
    return found


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def create_raw_views(
    con: duckdb.DuckDBPyConnection, school: SchoolSettings, schema: str = RAW_SCHEMA
) -> dict[str, int]:
    """Create the `raw_*` views; return the row count of each planned table (0 if missing)."""
    plan = extraction_plan(school)
    existing = _existing_columns(con, schema)
    counts: dict[str, int] = {}
    for table, columns in READABLE_COLUMNS.items():
        present = existing.get(table, set()) if table in plan else set()
        readable = set(plan.get(table, ())) & present
        select = ", ".join(
            f"CAST({_quote(c)} AS VARCHAR) AS {c}" if c in readable else f"NULL::VARCHAR AS {c}"
            for c in columns
        )
        source = f"FROM {_quote(schema)}.{_quote(table)}" if present else "WHERE false"
        con.execute(f"CREATE OR REPLACE TEMP VIEW raw_{table} AS SELECT {select} {source}")
        if table in plan:
            counts[table] = con.execute(f"SELECT count(*) FROM raw_{table}").fetchall()[0][0]
    return counts
