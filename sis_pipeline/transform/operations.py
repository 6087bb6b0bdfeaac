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
import numpy as np
import orjson
import pyarrow as pa
import pyarrow.compute as pc

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


def changeset_id_of(con: duckdb.DuckDBPyConnection, batch_size: int = 50_000) -> str:
    """`changeset_id(pending_operations(con), held_rows(con))`, hashed as the operations are
    read, a batch at a time: a million operations never sit in memory at once.

    DuckDB writes each operation's canonical JSON itself (`to_json` of structs whose keys are
    in sorted order) and the text is hashed straight from the Arrow buffers, with no Python
    object per operation. Its JSON is orjson's byte for byte but for one spelling: it writes
    the \\u escapes of a few control characters in upper-case hex. The rare operation whose
    text holds a \\u escape is therefore parsed and written again by orjson.
    """
    digest = hashlib.sha256()
    held = held_rows(con)
    if held:
        digest.update(b'{"held":' + orjson.dumps(held) + b',"operations":')
    digest.update(b"[")
    first = True
    if _json_in_sql(con):
        for texts in _operation_json_batches(con, batch_size):
            digest.update(texts[1:] if first else texts)
            first = False
    else:
        for chunk in operation_chunks(con, size=batch_size):
            body = b",".join(orjson.dumps(op, option=orjson.OPT_SORT_KEYS) for op in chunk)
            digest.update(body if first else b"," + body)
            first = False
    digest.update(b"]}" if held else b"]")
    return digest.hexdigest()[:16]


# Column types whose DuckDB JSON is the JSON orjson writes of the value Python reads.
_JSON_SAFE_TYPES = ("VARCHAR", "INTEGER", "BIGINT", "SMALLINT", "TINYINT", "BOOLEAN")


def _json_in_sql(con: duckdb.DuckDBPyConnection) -> bool:
    types = dict(
        con.execute(
            "SELECT column_name, data_type FROM information_schema.columns "
            "WHERE table_schema = 'sync' AND table_name = 'changeset'"
        ).fetchall()
    )
    return all(types.get(name) in _JSON_SAFE_TYPES for name in WRITABLE_USER_FIELDS)


def _operation_json_batches(
    con: duckdb.DuckDBPyConnection, size: int = 50_000
) -> Iterator[bytes | memoryview]:
    """The operations of `operation_chunks` in host ID order as canonical JSON, each preceded
    by a comma, a batch of them concatenated per item."""
    # Only our own field and action names are written into the SQL.
    user = ", ".join(f"'{name}': {name}" for name in sorted(WRITABLE_USER_FIELDS))
    actions = ", ".join(f"'{action}'" for action in SENT_ACTIONS)
    reader = con.sql(
        "SELECT ',' || CASE action "
        "WHEN 'deactivate' THEN to_json({'action': action, 'host_id': host_id, "
        "'operation': {'host_id': host_id, 'op': 'deactivate'}}) "
        f"ELSE to_json({{'action': action, 'host_id': host_id, "
        f"'operation': {{'op': 'upsert', 'user': {{{user}}}}}}}) END AS text "
        f"FROM sync.changeset WHERE NOT held AND action IN ({actions}) ORDER BY host_id"
    ).to_arrow_reader(size)
    for batch in reader:
        texts = batch.column(0)
        if pc.any(pc.match_substring(texts, "\\u")).as_py():
            yield b"".join(_orjson_spelling(text) for text in texts.to_pylist())
        else:
            yield _concatenated(texts)


def _orjson_spelling(text: str) -> bytes:
    if "\\u" not in text:
        return text.encode()
    return b"," + orjson.dumps(orjson.loads(text[1:]), option=orjson.OPT_SORT_KEYS)


def _concatenated(texts: pa.Array) -> memoryview:
    """The values of a string array back to back: the slice of its data buffer they span."""
    if texts.type not in (pa.string(), pa.large_string()):
        texts = texts.cast(pa.large_string())
    if len(texts) == 0:
        return memoryview(b"")
    offset_type = np.int32 if texts.type == pa.string() else np.int64
    _, offsets, data = texts.buffers()
    ends = np.frombuffer(offsets, dtype=offset_type)
    return memoryview(data)[int(ends[texts.offset]) : int(ends[texts.offset + len(texts)])]


def content_digest(document: Any, length: int) -> str:
    """sha256 (first `length` hex digits) of `document` in canonical JSON: sorted keys, no
    white space, UTF-8 unescaped. orjson writes exactly the bytes of `canonical_json` (so IDs
    and keys made before stay the same) about ten times as fast: a million operations."""
    return hashlib.sha256(orjson.dumps(document, option=orjson.OPT_SORT_KEYS)).hexdigest()[:length]


def canonical_json(document: Any) -> bytes:
    """The canonical form spelled with the standard library: the definition orjson matches."""
    text = json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return text.encode("utf-8")
