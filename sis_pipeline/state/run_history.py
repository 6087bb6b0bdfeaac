"""The school's own record of past syncs, kept in its DuckDB file (schema `sync`).

`sync.runs` has one row per sync that reached the sink, with its hold decision. The
source-health rule compares this run's raw table sizes with the baseline: the last run that
applied (not a test run) without a health hold, or that an operator let through. So a table
that shrank stays held run after run until someone looks, instead of becoming the norm.
"""

from __future__ import annotations

import json

import duckdb

from sis_pipeline.sources.powerschool.settings import ALL_TABLES
from sis_pipeline.state.outcome import REACHED_SINK

RUNS_DDL = """
CREATE TABLE IF NOT EXISTS sync.runs (
    run_id VARCHAR PRIMARY KEY,
    finished_at TIMESTAMP,
    test_run BOOLEAN,
    exit_code INTEGER,
    changeset_id VARCHAR,
    summary JSON,
    source_counts JSON
);
-- Files from before the column existed: their runs count as applied without a health hold.
ALTER TABLE sync.runs ADD COLUMN IF NOT EXISTS hold_decision JSON;
"""


def raw_table_counts(con: duckdb.DuckDBPyConnection, tables: list[str]) -> dict[str, int]:
    """Rows this run extracted per planned table (0 for a table dlt never created)."""
    present = {
        name
        for (name,) in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'powerschool'"
        ).fetchall()
    }
    counts = {}
    for table in tables:
        if table not in ALL_TABLES:
            raise ValueError(f"unknown table {table}")
        counts[table] = (
            con.execute(f"SELECT count(*) FROM powerschool.{table}").fetchall()[0][0]
            if table in present
            else 0
        )
    return counts


def baseline_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int] | None:
    """Raw table sizes of the last non-test run that reached the sink without a health hold
    (none found, or let through by a flag); None before the first such run."""
    con.execute(RUNS_DDL)
    row = con.execute(
        f"SELECT source_counts FROM sync.runs WHERE NOT test_run AND exit_code IN {REACHED_SINK} "
        "AND coalesce(NOT (hold_decision->>'health_hold')::BOOLEAN, true) "
        "ORDER BY finished_at DESC LIMIT 1"
    ).fetchall()
    return json.loads(row[0][0]) if row else None


def has_applied_sync(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether a sync of this school has reached the sink before (not a test run)."""
    con.execute(RUNS_DDL)
    return bool(
        con.execute(
            f"SELECT count(*) FROM sync.runs WHERE NOT test_run AND exit_code IN {REACHED_SINK}"
        ).fetchall()[0][0]
    )


def record_run(
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    test_run: bool,
    exit_code: int,
    changeset_id: str,
    summary: dict,
    source_counts: dict[str, int],
    hold_decision: dict,
) -> None:
    """hold_decision: `HoldDecision.record()` of the run (holds, health problems, flags)."""
    con.execute(RUNS_DDL)
    con.execute(
        "INSERT OR REPLACE INTO sync.runs (run_id, finished_at, test_run, exit_code, "
        "changeset_id, summary, source_counts, hold_decision) VALUES (?, now(), ?, ?, ?, ?, ?, ?)",
        [
            run_id,
            test_run,
            exit_code,
            changeset_id,
            json.dumps(summary),
            json.dumps(source_counts),
            json.dumps(hold_decision),
        ],
    )
