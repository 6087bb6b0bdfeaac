"""The tables of a school's state that outlive a run, as PostgreSQL keeps them.

Each has the same name under DuckDB's `sync` schema and PostgreSQL's `sis_state`, where a
`school` column comes first; `state/durable_store.py` copies them between the two.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DurableTable:
    name: str  # the same name under DuckDB's `sync` schema and PostgreSQL's SCHEMA
    columns: tuple[tuple[str, str], ...]  # (column, PostgreSQL type), in DuckDB's order
    order_by: str


# What outlives a run. JSON columns are kept as text, so they come back byte for byte.
DURABLE_TABLES = (
    DurableTable(
        "runs",
        (
            ("run_id", "text"),
            ("finished_at", "timestamp"),
            ("test_run", "boolean"),
            ("exit_code", "integer"),
            ("changeset_id", "text"),
            ("summary", "text"),
            ("source_counts", "text"),
            ("hold_decision", "text"),
        ),
        "finished_at, run_id",
    ),
    DurableTable(
        "sink_attempts",
        (
            ("changeset_id", "text"),
            ("generation", "integer"),
            ("run_id", "text"),
            ("finished", "boolean"),
        ),
        "changeset_id, generation",
    ),
    DurableTable(
        "sync_log",
        (
            ("run_id", "text"),
            ("changeset_id", "text"),
            ("batch_key", "text"),
            ("host_id", "text"),
            ("action", "text"),
            ("status", "text"),
            ("error_code", "text"),
            ("error_message", "text"),
            ("logged_at", "timestamp"),
        ),
        "logged_at, batch_key, host_id",
    ),
    DurableTable(
        "rename_plan",
        (
            ("old_host_id", "text"),
            ("new_host_id", "text"),
            ("member_type", "text"),
            ("source", "text"),
            ("line", "integer"),
        ),
        "old_host_id",
    ),
    DurableTable(
        "mapping_rejections",
        (("line", "integer"), ("old_host_id", "text"), ("new_host_id", "text"), ("reason", "text")),
        "line, old_host_id",
    ),
    DurableTable(
        "reconciliation_proposals",
        (
            ("old_host_id", "text"),
            ("new_host_id", "text"),
            ("member_type", "text"),
            ("tier", "integer"),
            ("evidence", "text"),
            ("ambiguous", "boolean"),
            ("auto_applied", "boolean"),
        ),
        "tier, new_host_id, old_host_id",
    ),
)
TABLES = {table.name: table for table in DURABLE_TABLES}
RECONCILIATION_TABLES = ("rename_plan", "mapping_rejections", "reconciliation_proposals")
