"""What a run left in the school's DuckDB file, read for its e-mail and report.

Each reader is called only for the tables this run wrote (the caller knows which assets it
materialised): after an early failure the tables still hold the previous run's rows.
Operations are read by run ID, so they are always this run's.
"""

from __future__ import annotations

import json

import duckdb

from sis_pipeline.notify.facts import (
    ActionCount,
    FailedOperation,
    HeldChange,
    QuarantinedRow,
    RejectedMappingRow,
)


def has_table(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    return bool(
        con.execute(
            "SELECT count(*) FROM information_schema.tables "
            "WHERE table_schema = 'sync' AND table_name = ?",
            [name],
        ).fetchall()[0][0]
    )


def by_action(con: duckdb.DuckDBPyConnection, run_id: str) -> list[ActionCount]:
    """The changeset per action and member type: users to send, held, and refused this run."""
    refused = (
        "SELECT DISTINCT host_id, action FROM sync.sync_log "
        "WHERE run_id = $run AND error_code IS NOT NULL"
        if has_table(con, "sync_log")
        else "SELECT $run AS host_id, NULL::VARCHAR AS action WHERE false"
    )
    rows = con.execute(
        f"""
        SELECT c.action, c.member_type,
               count(*) FILTER (WHERE NOT c.held),
               count(*) FILTER (WHERE c.held),
               count(f.host_id) FILTER (WHERE NOT c.held)
        FROM sync.changeset AS c
        LEFT JOIN ({refused}) AS f ON f.host_id = c.host_id AND f.action = c.action
        GROUP BY ALL ORDER BY 1, 2
        """,
        {"run": run_id},
    ).fetchall()
    return [ActionCount(*row) for row in rows]


def held_changes(con: duckdb.DuckDBPyConnection) -> list[HeldChange]:
    rows = con.execute(
        "SELECT host_id, member_type, action, coalesce(hold_reason, 'held') "
        "FROM sync.changeset WHERE held ORDER BY hold_reason, host_id"
    ).fetchall()
    return [HeldChange(*row) for row in rows]


def hold_reasons(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The sentence of each hold: what is held, the rule, the likely cause."""
    rows = con.execute("SELECT hold_decision FROM sync.changeset_context").fetchall()
    decision = json.loads(rows[0][0]) if rows and rows[0][0] else {}
    return [hold["reason"] for hold in decision.get("holds", [])]


def quarantined(con: duckdb.DuckDBPyConnection) -> list[QuarantinedRow]:
    rows = con.execute(
        "SELECT coalesce(host_id, source_table || ':' || source_id, source_table), "
        "member_type, reason FROM sync.quarantine ORDER BY reason, 1"
    ).fetchall()
    return [QuarantinedRow(*row) for row in rows]


def failed_operations(con: duckdb.DuckDBPyConnection, run_id: str) -> list[FailedOperation]:
    if not has_table(con, "sync_log"):
        return []
    rows = con.execute(
        "SELECT host_id, action, error_code FROM sync.sync_log "
        "WHERE run_id = ? AND error_code IS NOT NULL ORDER BY host_id, action",
        [run_id],
    ).fetchall()
    return [FailedOperation(*row) for row in rows]


def rejected_mapping_rows(con: duckdb.DuckDBPyConnection) -> list[RejectedMappingRow]:
    rows = con.execute(
        "SELECT line, old_host_id, new_host_id, reason FROM sync.mapping_rejections "
        "ORDER BY line NULLS LAST, old_host_id"
    ).fetchall()
    return [RejectedMappingRow(*row) for row in rows]
