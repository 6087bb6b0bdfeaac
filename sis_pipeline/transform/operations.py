"""The platform operations a changeset stands for, and its stable id.

`pending_operations` reads `sync.changeset` into the batch endpoint's operation shape
(target-platform-api.md, `users:batch`), sorted by host ID. `changeset_id` hashes them in a
canonical JSON form, so the same changes always give the same id and any change in an
operation gives another one. Held rows are not operations: they are not sent.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

import duckdb

from sis_pipeline.sources.platform.settings import WRITABLE_USER_FIELDS

UPSERT_ACTIONS = ("create", "update", "reactivate")
SENT_ACTIONS = (*UPSERT_ACTIONS, "deactivate")


def pending_operations(
    con: duckdb.DuckDBPyConnection, actions: tuple[str, ...] = SENT_ACTIONS
) -> list[dict[str, Any]]:
    """The not-held rows of `sync.changeset` with an action in `actions`, as operations.

    Each item is {"host_id", "action", "operation"}; "operation" is the body entry to send.
    """
    wanted = [a for a in actions if a in SENT_ACTIONS]
    rows = con.execute(
        f"SELECT action, {', '.join(WRITABLE_USER_FIELDS)} FROM sync.changeset "
        "WHERE NOT held AND list_contains($actions, action)",
        {"actions": wanted},
    ).fetchall()
    operations = []
    for action, *values in rows:
        user = dict(zip(WRITABLE_USER_FIELDS, values, strict=True))
        if action == "deactivate":
            operation: dict[str, Any] = {"op": "deactivate", "host_id": user["host_id"]}
        else:
            operation = {"op": "upsert", "user": user}
        operations.append({"host_id": user["host_id"], "action": action, "operation": operation})
    # Python orders str by code point, as the platform orders host IDs.
    return sorted(operations, key=lambda item: item["host_id"])


def changeset_id(operations: list[dict[str, Any]]) -> str:
    """sha256 (first 16 hex digits) of the operations in canonical JSON, order-independent."""
    canonical = json.dumps(
        sorted(operations, key=lambda item: item["host_id"]),
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:16]
