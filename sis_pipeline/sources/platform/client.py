"""Client of the platform's roster API v1 (target-platform-api.md), over httpx.

Writes go in batches with an `Idempotency-Key`; a batch whose answer was lost (timeout,
dropped connection, 5xx, an answer that is not JSON) is sent again with the same key and
body, so the platform applies it at most once.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import httpx
import orjson

from sis_pipeline.config.urls import require_safe_url
from sis_pipeline.http.retry import ApiError, RetryPolicy, send_with_retries
from sis_pipeline.sources.platform.settings import (
    MAX_BATCH,
    PAGE_LIMIT,
    REQUIRED_USER_FIELDS,
    USER_FIELDS,
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
        """Every user of the org, one page at a time, in host_id order.

        A cursor served twice would page forever (or read pages twice): it fails the listing.
        """
        cursor: str | None = None
        seen_cursors: set[str] = set()
        while True:
            params = {"limit": PAGE_LIMIT, "status": status}
            if cursor:
                params["cursor"] = cursor
            response = send_with_retries(
                lambda p=dict(params): self._http.get(f"{self._org_path}/users", params=p),
                self._policy,
                "platform users",
                # A garbled page (a proxy's HTML error page) is transient like a 502; reading
                # again is safe. It must never pass for an empty org: that would create
                # everyone again as duplicates.
                also_retry=_not_a_json_object,
                error=PlatformError,
            )
            body = _body(response, "platform users", self._org)
            users = body.get("data")
            if not isinstance(users, list) or not all(isinstance(u, dict) for u in users):
                raise PlatformError("platform users: the answer has no data list")
            missing = sorted(
                {field for user in users for field in REQUIRED_USER_FIELDS if not user.get(field)}
            )
            if missing:
                raise PlatformError(f"platform users: users lack {', '.join(missing)}")
            yield [{field: user.get(field) for field in USER_FIELDS} for user in users]
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
        payload = {"operations": operations}

        def unusable(response: httpx.Response) -> str | None:
            if response.status_code == 409:
                return "idempotency key still in use"
            if response.status_code == 200 and _results(response, len(operations)) is None:
                return "an answer without usable results"
            return None

        response = send_with_retries(
            lambda: self._http.post(
                f"{self._org_path}/users:batch",
                # The bytes httpx's json= writes (compact, UTF-8), ten times as fast.
                content=orjson.dumps(payload),
                headers={"Idempotency-Key": idempotency_key, "Content-Type": "application/json"},
            ),
            self._policy,
            f"platform batch {idempotency_key}",
            also_retry=unusable,
            error=PlatformError,
        )
        _body(response, f"platform batch {idempotency_key}", self._org)
        results = _results(response, len(operations))
        assert results is not None
        return results


def _not_a_json_object(response: httpx.Response) -> str | None:
    if response.status_code != 200:
        return None
    try:
        body = response.json()
    except ValueError:
        body = None
    return None if isinstance(body, dict) else "an answer that is not a JSON object"


def _results(response: httpx.Response, expected: int) -> list[dict] | None:
    try:
        body = response.json()
    except ValueError:
        return None
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
