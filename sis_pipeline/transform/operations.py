"""The platform operations a changeset stands for, and its stable id.

`pending_operations` reads `sync.changeset` into the batch endpoint's operation shape
(target-platform-api.md, `users:batch`), sorted by host ID. `changeset_id` hashes them in a
canonical JSON form together with the held rows and their reasons, so the same changes
with the same holds always give the same id, and any change in an operation or in what is
held gives another one. Held rows are not operations: they are not sent.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from typing import Any

import duckdb
import orjson

from sis_pipeline.sources.platform.settings import WRITABLE_USER_FIELDS

UPSERT_ACTIONS = ("create", "update", "reactivate")
SENT_ACTIONS = (*UPSERT_ACTIONS, "deactivate")


def pending_operations(
    con: duckdb.DuckDBPyConnection, actions: tuple[str, ...] = SENT_ACTIONS
) -> list[dict[str, Any]]:
    """The not-held rows of `sync.changeset` with an action in `actions`, as operations.

    Each item is {"host_id", "action", "operation"}; "operation" is the body entry to send.
    """
    return [op for chunk in operation_chunks(con, actions) for op in chunk]


def operation_chunks(
    con: duckdb.DuckDBPyConnection,
    actions: tuple[str, ...] = SENT_ACTIONS,
    rank: dict[str, int] | None = None,
    size: int = 10_000,
) -> Iterator[list[dict[str, Any]]]:
    """`pending_operations` a few thousand at a time, in host ID order, or by `rank` of the
    action first when given.

    DuckDB orders text by its UTF-8 bytes, which is code point order: Python's str order,
    and the order the platform lists host IDs in. The caller must not use `con` for anything
    else until the chunks are read (a cursor of it, outside a transaction, is free).
    """
    wanted = [a for a in actions if a in SENT_ACTIONS]
    order = "host_id"
    if rank:
        # Only our own action names are written into the SQL.
        cases = " ".join(f"WHEN '{a}' THEN {int(n)}" for a, n in rank.items() if a in wanted)
        order = f"CASE action {cases} END, host_id"
    result = con.execute(
        f"SELECT action, {', '.join(WRITABLE_USER_FIELDS)} FROM sync.changeset "
        f"WHERE NOT held AND list_contains($actions, action) ORDER BY {order}",
        {"actions": wanted},
    )
    while rows := result.fetchmany(size):
        yield [_operation(action, values) for action, *values in rows]


def _operation(action: str, values: list) -> dict[str, Any]:
    user = dict(zip(WRITABLE_USER_FIELDS, values, strict=True))
    if action == "deactivate":
        operation: dict[str, Any] = {"op": "deactivate", "host_id": user["host_id"]}
    else:
        operation = {"op": "upsert", "user": user}
    return {"host_id": user["host_id"], "action": action, "operation": operation}


def held_rows(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str, str]]:
    """(host_id, action, hold_reason) of the held rows of `sync.changeset`, by host ID."""
    return [
        tuple(row)
        for row in con.execute(
            "SELECT host_id, action, hold_reason FROM sync.changeset WHERE held ORDER BY host_id"
        ).fetchall()
    ]


def changeset_id(
    operations: list[dict[str, Any]], held: list[tuple[str, str, str]] | None = None
) -> str:
    """sha256 (first 16 hex digits) of the operations and the held rows in canonical JSON,
    order-independent. Without held rows the digest is that of the operations alone."""
    ordered = sorted(operations, key=lambda item: item["host_id"])
    document: Any = {"operations": ordered, "held": sorted(held)} if held else ordered
    return content_digest(document, 16)


def changeset_id_of(con: duckdb.DuckDBPyConnection) -> str:
    """`changeset_id(pending_operations(con), held_rows(con))`, hashed as the operations are
    read, a chunk at a time: a million operations never sit in memory at once."""
    digest = hashlib.sha256()
    held = held_rows(con)
    if held:
        digest.update(b'{"held":' + orjson.dumps(held) + b',"operations":')
    digest.update(b"[")
    first = True
    for chunk in operation_chunks(con):
        body = b",".join(orjson.dumps(op, option=orjson.OPT_SORT_KEYS) for op in chunk)
        digest.update(body if first else b"," + body)
        first = False
    digest.update(b"]}" if held else b"]")
    return digest.hexdigest()[:16]


def content_digest(document: Any, length: int) -> str:
    """sha256 (first `length` hex digits) of `document` in canonical JSON: sorted keys, no
    white space, UTF-8 unescaped. orjson writes exactly the bytes of `canonical_json` (so IDs
    and keys made before stay the same) about ten times as fast: a million operations."""
    return hashlib.sha256(orjson.dumps(document, option=orjson.OPT_SORT_KEYS)).hexdigest()[:length]


def canonical_json(document: Any) -> bytes:
    """The canonical form spelled with the standard library: the definition orjson matches."""
    text = json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return text.encode("utf-8")
