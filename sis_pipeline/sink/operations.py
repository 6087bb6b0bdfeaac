"""Apply order, batches and idempotency keys for the changeset's operations."""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import duckdb
import orjson

from sis_pipeline.sources.platform.settings import MAX_BATCH
from sis_pipeline.transform.operations import content_digest, operation_chunks

# Renames first, so no upsert creates a person whose old account is about to be renamed;
# deactivations last, so a failing batch never leaves people only half moved.
ACTION_ORDER = {"rename": 0, "create": 1, "update": 1, "reactivate": 1, "deactivate": 2}

Operation = dict[str, Any]  # {"host_id", "action", "operation"} as pending_operations gives


def operations_in_apply_order(con: duckdb.DuckDBPyConnection) -> Iterator[Operation]:
    """Every operation the changeset asks for and no safety rule holds, in apply order, read
    from the database a few thousand at a time (on a cursor of `con`, which stays free)."""
    cursor = con.cursor()
    try:
        for chunk in operation_chunks(cursor, rank=ACTION_ORDER):
            yield from chunk
    finally:
        cursor.close()


def batches(operations: Iterable[Operation], size: int = MAX_BATCH) -> Iterator[list[Operation]]:
    items = iter(operations)
    while batch := list(itertools.islice(items, size)):
        yield batch


def slim(op: Operation) -> Operation:
    """What an outcome keeps of its operation (a million bodies need not outlive their batch)."""
    return {"host_id": op["host_id"], "action": op["action"]}


def batch_body(batch: list[Operation]) -> list[dict[str, Any]]:
    """The `operations` of the batch request, as sent."""
    return [op["operation"] for op in batch]


def idempotency_key(
    changeset_id: str, generation: int, batch_index: int, batch: list[Operation]
) -> str:
    """Same changeset, attempt and batch -> same key, so a resumed run replays, not re-applies.

    The key ends with a digest of the batch's body: the platform refuses a key sent again
    with another body (422) and then the batch is stuck for a day, so a key is never sent
    with two bodies, whatever a later attempt decides.
    """
    return _key(changeset_id, generation, batch_index, content_digest(batch_body(batch), 16))


def _key(changeset_id: str, generation: int, batch_index: int, digest: str) -> str:
    return f"sis-{changeset_id}-g{generation}-b{batch_index:05d}-{digest}"


@dataclass(frozen=True)
class PreparedBatch:
    """One batch ready to send: its key and request body made from the same bytes."""

    index: int
    key: str
    body: bytes  # the whole request body, {"operations": [...]}
    slims: list[Operation]  # what each operation's outcome keeps, in order


def prepared_batches(
    changeset_id: str, generation: int, operations: Iterable[Operation], size: int = MAX_BATCH
) -> Iterator[PreparedBatch]:
    """`batches` with each one serialised once: the canonical JSON of its body is hashed for
    `idempotency_key` (same bytes, same key) and sent, in the `operations` field, as the body.

    Sorted keys change nothing the platform sees: it compares bodies as JSON, not as bytes.
    """
    for index, batch in enumerate(batches(operations, size)):
        canonical = orjson.dumps(batch_body(batch), option=orjson.OPT_SORT_KEYS)
        digest = hashlib.sha256(canonical).hexdigest()[:16]
        yield PreparedBatch(
            index,
            _key(changeset_id, generation, index, digest),
            b'{"operations":' + canonical + b"}",
            [slim(op) for op in batch],
        )
