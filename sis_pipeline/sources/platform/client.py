"""Client of the platform's roster API v1 (target-platform-api.md), over httpx.

Writes go in batches with an `Idempotency-Key`; a batch whose answer was lost (timeout,
dropped connection, 5xx, an answer that is not JSON) is sent again with the same key and
body, so the platform applies it at most once.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from types import NoneType

import httpx
import orjson
import pyarrow as pa

from sis_pipeline.config.urls import require_safe_url
from sis_pipeline.http.retry import ApiError, RetryPolicy, send_with_retries
from sis_pipeline.sources.platform.settings import (
    MAX_BATCH,
    PAGE_LIMIT,
    REQUIRED_USER_FIELDS,
    USER_COLUMNS,
    WHOLE_NUMBER_FIELDS,
)


class PlatformError(ApiError):
    """The platform refused a request or answered something unusable."""


class PlatformClient:
    def __init__(
        self,
        base_url: str,
        token: str,
        org_id: str,
        *,
        policy: RetryPolicy | None = None,
        timeout: float = 60.0,
    ):
        base = require_safe_url(base_url, "platform.url").rstrip("/")
        self._org = org_id
        self._org_path = f"/v1/orgs/{org_id}"
        self._policy = policy or RetryPolicy()
        self._http = httpx.Client(
            base_url=base,
            timeout=timeout,
            headers={"Authorization": f"Bearer {token}", "Accept": "application/json"},
        )

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> PlatformClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def org(self) -> dict:
        response = send_with_retries(
            lambda: self._http.get(self._org_path),
            self._policy,
            "platform org",
            error=PlatformError,
        )
        return _body(response, "platform org", self._org)

    def iter_user_pages(self, status: str = "all") -> Iterator[list[dict]]:
        """`iter_user_tables` as lists of users (dicts of USER_FIELDS)."""
        for page in self.iter_user_tables(status):
            yield page.to_pylist()

    def iter_user_tables(self, status: str = "all") -> Iterator[pa.Table]:
        """Every user of the org, one page at a time in host_id order, as USER_COLUMNS.

        A cursor served twice would page forever (or read pages twice): it fails the listing.
        Each page is parsed once; at a million users the parsing is most of the listing's CPU.
        """
        cursor: str | None = None
        seen_cursors: set[str] = set()
        parsed: list[tuple[httpx.Response, object]] = []  # the answer last checked, parsed

        def garbled(response: httpx.Response) -> str | None:
            # A garbled page (a proxy's HTML error page) is transient like a 502; reading
            # again is safe. It must never pass for an empty org: that would create
            # everyone again as duplicates.
            if response.status_code != 200:
                return None
            body = _loads(response.content)
            parsed[:] = [(response, body)]
            return None if isinstance(body, dict) else "an answer that is not a JSON object"

        while True:
            params = {"limit": PAGE_LIMIT, "status": status}
            if cursor:
                params["cursor"] = cursor
            response = send_with_retries(
                lambda p=dict(params): self._http.get(f"{self._org_path}/users", params=p),
                self._policy,
                "platform users",
                also_retry=garbled,
                error=PlatformError,
            )
            body = parsed[-1][1] if parsed and parsed[-1][0] is response else None
            if not isinstance(body, dict):
                _body(response, "platform users", self._org)  # raises our error for it
            assert isinstance(body, dict)
            yield user_table(body.get("data"))
            cursor = body.get("next_cursor")
            if not cursor:
                return
            if not isinstance(cursor, str):
                raise PlatformError("platform users: next_cursor is not a string")
            if cursor in seen_cursors:
                raise PlatformError("platform users: the listing repeated a next_cursor")
            seen_cursors.add(cursor)

    def apply_batch(self, operations: list[dict], idempotency_key: str) -> list[dict]:
        """Send one batch; return the platform's per-operation results, in order."""
        if len(operations) > MAX_BATCH:
            raise ValueError(f"a batch holds at most {MAX_BATCH} operations")
        # The bytes httpx's json= writes (compact, UTF-8), ten times as fast.
        body = orjson.dumps({"operations": operations})
        return self.apply_batch_body(body, len(operations), idempotency_key)

    def apply_batch_body(self, body: bytes, count: int, idempotency_key: str) -> list[dict]:
        """`apply_batch` for a body already serialised: {"operations": [count operations]}."""
        if count > MAX_BATCH:
            raise ValueError(f"a batch holds at most {MAX_BATCH} operations")
        what = f"platform batch {idempotency_key}"
        # Each answer is parsed once (orjson): the check and the caller share the result.
        checked: list = [None, None]  # the latest 200 answer, its results

        def unusable(response: httpx.Response) -> str | None:
            if response.status_code == 409:
                return "idempotency key still in use"
            if response.status_code == 200:
                checked[:] = [response, _results(response, count)]
                if checked[1] is None:
                    return "an answer without usable results"
            return None

        response = send_with_retries(
            lambda: self._http.post(
                f"{self._org_path}/users:batch",
                content=body,
                headers={"Idempotency-Key": idempotency_key, "Content-Type": "application/json"},
            ),
            self._policy,
            what,
            also_retry=unusable,
            error=PlatformError,
        )
        if checked[0] is not response or checked[1] is None:
            _body(response, what, self._org)  # a refusal: raises with its status and code
            raise PlatformError(f"{what}: an answer without usable results")
        return checked[1]


def user_table(users: object) -> pa.Table:
    """A listing page's `data` as USER_COLUMNS.

    Fails the listing, naming the field and never a value, when a user lacks a required
    field or a field is not of its type: acting on a half-understood listing could
    deactivate or duplicate users. Only a JSON integer is a year or a grade; anything else
    there reads as unknown.
    """
    if not isinstance(users, list) or not all(isinstance(u, dict) for u in users):
        raise PlatformError("platform users: the answer has no data list")
    missing = [f for f in REQUIRED_USER_FIELDS if not all(u.get(f) for u in users)]
    if missing:
        raise PlatformError(f"platform users: users lack {', '.join(missing)}")
    if all(type(u.get(f)) in (int, NoneType) for u in users for f in WHOLE_NUMBER_FIELDS):
        # The common page, whole: Arrow reads the dicts itself, twice as fast as by column.
        table = _table(users)
        if table is not None:
            return table
    columns = []
    for column in USER_COLUMNS:
        values = [u.get(column.name) for u in users]
        if column.name in WHOLE_NUMBER_FIELDS:
            values = [v if type(v) is int else None for v in values]
        array = _array(values, column.type)
        if array is None:
            raise PlatformError(
                f"platform users: a user's {column.name} is not {_kind(column.type)}"
            )
        columns.append(array)
    return pa.Table.from_arrays(columns, schema=USER_COLUMNS)


def _table(users: list[dict]) -> pa.Table | None:
    try:
        return pa.Table.from_pylist(users, USER_COLUMNS)
    except (pa.ArrowInvalid, pa.ArrowTypeError, OverflowError):
        return None


def _array(values: list, column_type: pa.DataType) -> pa.Array | None:
    """The values as one Arrow array, or None when one does not fit the type. (Arrow's own
    error is not passed on: its message may quote the value.)"""
    try:
        return pa.array(values, column_type)
    except (pa.ArrowInvalid, pa.ArrowTypeError, OverflowError):
        return None


def _kind(column_type: pa.DataType) -> str:
    return "a whole number in range" if pa.types.is_integer(column_type) else "text"


def _loads(content: bytes) -> object:
    try:
        return orjson.loads(content)
    except orjson.JSONDecodeError:
        return None


def _results(response: httpx.Response, expected: int) -> list[dict] | None:
    body = _loads(response.content)
    results = body.get("results") if isinstance(body, dict) else None
    if not isinstance(results, list) or len(results) != expected:
        return None
    if not all(isinstance(r, dict) and r.get("status") in ("ok", "error") for r in results):
        return None
    return results


def _body(response: httpx.Response, what: str, org_id: str) -> dict:
    try:
        body = response.json()
    except ValueError:
        body = None
    if response.status_code == 200 and isinstance(body, dict):
        return body
    error = body.get("error") if isinstance(body, dict) else None
    code = error.get("code") if isinstance(error, dict) else None
    # The platform's codes are snake_case words; anything else is not repeated.
    code = code if isinstance(code, str) and re.fullmatch(r"[a-z_]{1,64}", code) else None
    if response.status_code == 401:
        raise PlatformError(f"{what}: the platform refused the API token (unauthorized)")
    if response.status_code == 404 and code == "org_not_found":
        raise PlatformError(f"{what}: the platform has no org {org_id!r}")
    if response.status_code == 200:
        raise PlatformError(f"{what}: the platform answered with a body that is not a JSON object")
    raise PlatformError(f"{what}: HTTP {response.status_code} {code or 'without an error code'}")
