"""Shared pieces of the sandbox platform tests: a settable clock and request builders."""

from __future__ import annotations

import ssl
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

TOKEN = "test-platform-token"
ORG = "riverdale-high"
OTHER_ORG = "hillside.school"
START = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)

# Building an SSL context per client costs ~50 ms and the server is plain HTTP anyway.
_SHARED_TLS = ssl.create_default_context()


def make_client(base_url: str, token: str | None = TOKEN, timeout: float = 10) -> httpx.Client:
    headers = {} if token is None else {"Authorization": f"Bearer {token}"}
    return httpx.Client(base_url=base_url, headers=headers, timeout=timeout, verify=_SHARED_TLS)


class ManualClock:
    """A clock that only moves when the test says so."""

    def __init__(self, now: datetime = START) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


def student(host_id: str, **fields: Any) -> dict[str, Any]:
    user = {
        "host_id": host_id,
        "member_type": "student",
        "first_name": "Ada",
        "last_name": "Lovelace",
        "graduation_year": 2027,
    }
    user.update(fields)
    return user


def teacher(host_id: str, **fields: Any) -> dict[str, Any]:
    user = {"host_id": host_id, "member_type": "teacher", "first_name": "Alan", "last_name": "T"}
    user.update(fields)
    return user


def upsert(user: dict[str, Any]) -> dict[str, Any]:
    return {"op": "upsert", "user": user}


def deactivate(host_id: str) -> dict[str, Any]:
    return {"op": "deactivate", "host_id": host_id}


def rename(host_id: str, new_host_id: str) -> dict[str, Any]:
    return {"op": "change_host_id", "host_id": host_id, "new_host_id": new_host_id}


def post_batch(
    client: httpx.Client, operations: list[dict[str, Any]], key: str = "key-1", org: str = ORG
) -> httpx.Response:
    return client.post(
        f"/v1/orgs/{org}/users:batch",
        headers={"Idempotency-Key": key},
        json={"operations": operations},
    )


def results(response: httpx.Response) -> list[dict[str, Any]]:
    assert response.status_code == 200, response.text
    return response.json()["results"]


def error_code(response: httpx.Response) -> str:
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message"}
    assert body["error"]["message"]
    return body["error"]["code"]
