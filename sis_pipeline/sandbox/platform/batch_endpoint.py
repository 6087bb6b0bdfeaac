"""`POST /v1/orgs/{org_id}/users:batch`: request checks, idempotency, apply, answer.

The whole request is checked first (key, JSON, shape, size), so a malformed request never
claims or consumes its idempotency key. Then the key decides: replay, 409, 422 or apply.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from sis_pipeline.sandbox.platform.idempotency import canonical_body
from sis_pipeline.sandbox.platform.messages import (
    ApiError,
    ApiRequest,
    ApiResponse,
    invalid_request,
)

if TYPE_CHECKING:
    from sis_pipeline.sandbox.platform.api import PlatformApi

MAX_OPERATIONS = 500
MAX_KEY_LENGTH = 128


def post_batch(api: PlatformApi, org_id: str, request: ApiRequest) -> ApiResponse:
    key = _idempotency_key(request)
    payload = _parse_json(request.body)
    operations = _operations(payload)
    body = canonical_body(payload)
    stored = api.state.claim_key(org_id, key, body)
    if stored is not None:
        api.counters.add("replayed")
        return ApiResponse(200, stored.encode("utf-8"))
    try:
        api.delay()
        response, outcome = api.state.apply_batch(
            org_id, key, body, operations, api.faults.refuse_host_ids
        )
    finally:
        api.state.release_key(org_id, key)
    for name in ("created", "updated", "deactivated", "renamed"):
        api.counters.add(name, getattr(outcome, name))
    api.counters.add("operations_applied", outcome.applied)
    if outcome.applied or not operations:
        api.counters.add("write_requests")
    faults = api.faults
    if faults.fires("fail_after_apply_every"):
        if faults.fail_after_apply_mode == "drop":
            return ApiResponse(0, drop=True)
        raise ApiError(503, "service_unavailable", "injected failure after the batch applied")
    return ApiResponse(200, response.encode("utf-8"))


def _idempotency_key(request: ApiRequest) -> str:
    values = request.header_values("idempotency-key")
    if not values:
        raise ApiError(400, "idempotency_key_required", "the Idempotency-Key header is required")
    key = values[0]
    if (
        len(values) > 1
        or not 1 <= len(key) <= MAX_KEY_LENGTH
        or not all(" " <= char <= "~" for char in key)
    ):
        raise invalid_request(
            f"Idempotency-Key must be one value of 1-{MAX_KEY_LENGTH} printable ASCII characters"
        )
    return key


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _parse_json(raw: bytes) -> Any:
    try:
        return json.loads(raw.decode("utf-8"), parse_constant=_reject_constant)
    except (UnicodeDecodeError, ValueError, RecursionError) as error:
        raise invalid_request("the body is not UTF-8 JSON") from error


def _operations(payload: Any) -> list[dict[str, Any]]:
    if not isinstance(payload, dict) or set(payload) != {"operations"}:
        raise invalid_request('the body must be an object {"operations": [...]}')
    operations = payload["operations"]
    if not isinstance(operations, list):
        raise invalid_request("operations must be a list")
    if len(operations) > MAX_OPERATIONS:
        raise ApiError(
            413, "too_many_operations", f"at most {MAX_OPERATIONS} operations per request"
        )
    if not all(isinstance(operation, dict) for operation in operations):
        raise invalid_request("every operation must be an object")
    return operations
