"""The three batch operations, applied in order, each on its own, to one org's users.

Every check happens before anything is changed, so a failed operation changes nothing,
and the next operation sees the effects of the ones before it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sis_pipeline.sandbox.platform.user_rules import (
    WRITABLE_FIELDS,
    FieldError,
    OperationError,
    check_id,
    check_user,
)

OPERATION_FIELDS = {
    "upsert": ("op", "user"),
    "deactivate": ("op", "host_id"),
    "change_host_id": ("op", "host_id", "new_host_id"),
}


@dataclass
class BatchOutcome:
    results: list[dict[str, Any]] = field(default_factory=list)
    applied: int = 0
    created: int = 0
    updated: int = 0
    deactivated: int = 0  # only deactivations that turned an active user inactive
    renamed: int = 0


def apply_operations(
    users: dict[str, dict[str, Any]],
    operations: list[dict[str, Any]],
    stamp: str,
    refuse_host_ids: Mapping[str, str] | None = None,
) -> BatchOutcome:
    """refuse_host_ids: host ID -> error code every operation on that host ID fails with."""
    outcome = BatchOutcome()
    for index, operation in enumerate(operations):
        try:
            _refuse(operation, refuse_host_ids or {})
            result = _apply_one(users, operation, stamp, outcome)
        except OperationError as error:
            result = {"status": "error", "error": {"code": error.code, "message": error.message}}
        else:
            outcome.applied += 1
        outcome.results.append({"index": index, **result})
    return outcome


def _refuse(operation: dict[str, Any], refuse_host_ids: Mapping[str, str]) -> None:
    user = operation.get("user")
    host_id = user.get("host_id") if isinstance(user, dict) else operation.get("host_id")
    if isinstance(host_id, str) and host_id in refuse_host_ids:
        code = refuse_host_ids[host_id]
        raise OperationError(code, f"{host_id}: refused ({code})")


def _apply_one(
    users: dict[str, dict[str, Any]], operation: dict[str, Any], stamp: str, outcome: BatchOutcome
) -> dict[str, Any]:
    kind = operation.get("op")
    if kind not in OPERATION_FIELDS:
        raise FieldError("op", "must be upsert, deactivate or change_host_id")
    for name in operation:
        if name not in OPERATION_FIELDS[kind]:
            raise FieldError(str(name)[:64], f"is not a field of a {kind} operation")
    if kind == "upsert":
        return _upsert(users, operation.get("user"), stamp, outcome)
    if kind == "deactivate":
        return _deactivate(users, operation.get("host_id"), stamp, outcome)
    return _change_host_id(
        users, operation.get("host_id"), operation.get("new_host_id"), stamp, outcome
    )


def _upsert(
    users: dict[str, dict[str, Any]], user: Any, stamp: str, outcome: BatchOutcome
) -> dict[str, Any]:
    if not isinstance(user, dict):
        raise FieldError("user", "must be a user object")
    check_user(user)
    host_id = user["host_id"]
    created = host_id not in users
    record = {name: user.get(name) for name in WRITABLE_FIELDS}
    users[host_id] = {**record, "status": "active", "updated_at": stamp}
    if created:
        outcome.created += 1
    else:
        outcome.updated += 1
    return {"status": "ok", "host_id": host_id, "created": created}


def _deactivate(
    users: dict[str, dict[str, Any]], host_id: Any, stamp: str, outcome: BatchOutcome
) -> dict[str, Any]:
    user = users.get(check_id("host_id", host_id))
    if user is None:
        raise OperationError("not_found", f"no user {host_id}")
    if user["status"] != "inactive":
        user["status"] = "inactive"
        user["updated_at"] = stamp
        outcome.deactivated += 1
    return {"status": "ok", "host_id": host_id}


def _change_host_id(
    users: dict[str, dict[str, Any]],
    host_id: Any,
    new_host_id: Any,
    stamp: str,
    outcome: BatchOutcome,
) -> dict[str, Any]:
    check_id("host_id", host_id)
    check_id("new_host_id", new_host_id)
    if host_id not in users:
        raise OperationError("not_found", f"no user {host_id}")
    # Renaming a user to its own host_id is refused too: that host_id already exists.
    if new_host_id in users:
        raise OperationError("host_id_conflict", f"host_id {new_host_id} already exists")
    user = users.pop(host_id)
    user["host_id"] = new_host_id
    user["updated_at"] = stamp
    users[new_host_id] = user
    outcome.renamed += 1
    return {"status": "ok", "host_id": new_host_id}
