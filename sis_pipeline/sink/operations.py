"""Turn changeset rows into ordered platform operations, batches and idempotency keys."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import duckdb

MAX_BATCH = 500
USER_PAYLOAD = (
    "host_id",
    "member_type",
    "first_name",
    "last_name",
    "email",
    "graduation_year",
    "date_of_birth",
    "gender",
    "grade_level",
)
# Renames first, so no upsert creates a person whose old account is about to be renamed;
# deactivations last, so a failing batch never leaves people only half moved.
ACTION_ORDER = {"rename": 0, "create": 1, "update": 1, "reactivate": 1, "deactivate": 2}


@dataclass(frozen=True)
class Operation:
    host_id: str
    action: str
    body: dict


def pending_operations(con: duckdb.DuckDBPyConnection) -> list[Operation]:
    """Every operation the changeset asks for and no safety rule holds, in apply order."""
    columns = ", ".join(f"c.{c}" for c in USER_PAYLOAD)
    rows = con.execute(
        f"SELECT c.action, {columns} FROM sync.changeset c "
        "WHERE c.action IN ('create', 'update', 'reactivate', 'deactivate') AND NOT c.held "
        "ORDER BY c.host_id"
    ).fetchall()
    operations = []
    for action, *values in rows:
        user = dict(zip(USER_PAYLOAD, values, strict=True))
        body = (
            {"op": "deactivate", "host_id": user["host_id"]}
            if action == "deactivate"
            else {"op": "upsert", "user": user}
        )
        operations.append(Operation(user["host_id"], action, body))
    return sorted(operations, key=lambda op: (ACTION_ORDER[op.action], op.host_id))


def batches(operations: list[Operation], size: int = MAX_BATCH) -> Iterator[list[Operation]]:
    for start in range(0, len(operations), size):
        yield operations[start : start + size]


def idempotency_key(changeset_id: str, generation: int, batch_index: int) -> str:
    """Same changeset, attempt and batch -> same key, so a resumed run replays, not re-applies."""
    return f"sis-{changeset_id}-g{generation}-b{batch_index:05d}"
