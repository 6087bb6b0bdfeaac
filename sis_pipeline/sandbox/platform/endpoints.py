"""The read endpoints: the org itself (the connection check) and the paged user list."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from sis_pipeline.sandbox.platform.messages import (
    ApiRequest,
    ApiResponse,
    invalid_request,
    json_response,
)
from sis_pipeline.sandbox.platform.paging import decode_cursor, encode_cursor

if TYPE_CHECKING:
    from sis_pipeline.sandbox.platform.api import PlatformApi

DEFAULT_LIMIT = 100
MAX_LIMIT = 1000
LIST_STATUSES = ("active", "inactive", "all")


def get_org(api: PlatformApi, org_id: str, request: ApiRequest) -> ApiResponse:
    api.delay()
    return json_response(200, {"org_id": org_id, "name": api.state.org_name(org_id)})


def list_users(api: PlatformApi, org_id: str, request: ApiRequest) -> ApiResponse:
    limit = _limit(_single(request, "limit"))
    status = _single(request, "status")
    if status is None:
        status = "all"
    elif status not in LIST_STATUSES:
        raise invalid_request("status must be active, inactive or all")
    cursor = _single(request, "cursor")
    try:
        after = None if cursor is None else decode_cursor(cursor)
    except ValueError as error:
        raise invalid_request("malformed cursor") from error
    api.delay()
    data, next_after = api.state.list_users(org_id, status, after, limit)
    next_cursor = None if next_after is None else encode_cursor(next_after)
    return json_response(200, {"data": data, "next_cursor": next_cursor})


def _single(request: ApiRequest, name: str) -> str | None:
    values = request.query.get(name, [])
    if len(values) > 1:
        raise invalid_request(f"{name} given more than once")
    return values[0] if values else None


def _limit(raw: str | None) -> int:
    if raw is None:
        return DEFAULT_LIMIT
    if re.fullmatch(r"[0-9]{1,7}", raw) is None or not 1 <= int(raw) <= MAX_LIMIT:
        raise invalid_request(f"limit must be an integer 1-{MAX_LIMIT}")
    return int(raw)
