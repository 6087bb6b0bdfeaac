"""Whole-request rules of `POST .../users:batch`: the idempotency key, body shape and size."""

from __future__ import annotations

import httpx
import pytest

from sis_pipeline.sandbox.platform import PlatformServer
from sis_pipeline_tests.sandbox.platform.support import (
    ORG,
    deactivate,
    error_code,
    post_batch,
    results,
    student,
    upsert,
)

BATCH_PATH = f"/v1/orgs/{ORG}/users:batch"


def _post_raw(client: httpx.Client, content: bytes, key: str | bytes = "k") -> httpx.Response:
    headers = {"Idempotency-Key": key, "Content-Type": "application/json"}
    return client.post(BATCH_PATH, content=content, headers=headers)


def test_missing_idempotency_key_is_400_idempotency_key_required(
    server: PlatformServer, client: httpx.Client
) -> None:
    response = client.post(BATCH_PATH, json={"operations": [upsert(student("S1"))]})
    assert response.status_code == 400
    assert error_code(response) == "idempotency_key_required"
    assert server.users(ORG) == []


@pytest.mark.parametrize(
    "key",
    ["", "k" * 129, "tab\there", b"caf\xe9", b"\x80high"],
    ids=["empty", "129-chars", "tab", "latin-1", "high-byte"],
)
def test_malformed_idempotency_key_is_400_invalid_request(
    server: PlatformServer, client: httpx.Client, key: str | bytes
) -> None:
    response = client.post(
        BATCH_PATH, json={"operations": [upsert(student("S1"))]}, headers={"Idempotency-Key": key}
    )
    assert response.status_code == 400
    assert error_code(response) == "invalid_request"
    assert server.users(ORG) == []


def test_two_idempotency_keys_are_400(client: httpx.Client) -> None:
    headers = [("Idempotency-Key", "a"), ("Idempotency-Key", "b")]
    response = client.post(BATCH_PATH, json={"operations": []}, headers=headers)
    assert response.status_code == 400
    assert error_code(response) == "invalid_request"


@pytest.mark.parametrize("key", ["k", "k" * 128, "a !~{}[]:;\"'`@#$%^&*()=+,.<>/?|\\x"])
def test_any_1_to_128_printable_ascii_key_is_accepted(client: httpx.Client, key: str) -> None:
    assert results(post_batch(client, [], key=key)) == []


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"not json",
        b"[]",
        b'"operations"',
        b"{}",
        b'{"operations": {}}',
        b'{"operations": null}',
        b'{"operations": [], "extra": 1}',
        b'{"ops": []}',
        b'{"operations": [1]}',
        b'{"operations": [[]]}',
        b'{"operations": [{"op": "deactivate", "host_id": "S1"}, "x"]}',
        b'{"operations": [NaN]}',
        b'{"operations": []',
        '{"operations": [], "x": "\u00e9"}'.encode("latin-1"),
        b"\xef\xbb\xbf" + b'{"operations": []}',
    ],
)
def test_body_not_of_the_documented_shape_is_400_invalid_request(
    server: PlatformServer, client: httpx.Client, content: bytes
) -> None:
    response = _post_raw(client, content)
    assert response.status_code == 400
    assert error_code(response) == "invalid_request"
    assert server.counters["write_requests"] == 0


def test_more_than_500_operations_is_413_and_applies_nothing(
    server: PlatformServer, client: httpx.Client
) -> None:
    operations = [upsert(student(f"S{n}")) for n in range(501)]
    response = post_batch(client, operations)
    assert response.status_code == 413
    assert error_code(response) == "too_many_operations"
    assert server.users(ORG) == []


def test_exactly_500_operations_apply(server: PlatformServer, client: httpx.Client) -> None:
    operations = [upsert(student(f"S{n:03d}")) for n in range(500)]
    got = results(post_batch(client, operations))
    assert [r["index"] for r in got] == list(range(500))
    assert all(r["status"] == "ok" and r["created"] for r in got)
    assert len(server.users(ORG)) == 500


def test_empty_operations_is_200_with_empty_results(
    server: PlatformServer, client: httpx.Client
) -> None:
    response = post_batch(client, [])
    assert response.status_code == 200
    assert response.json() == {"results": []}
    assert server.counters["write_requests"] == 1


def test_a_rejected_request_does_not_use_up_its_key(
    server: PlatformServer, client: httpx.Client
) -> None:
    assert _post_raw(client, b"{}", key="same").status_code == 400
    got = results(post_batch(client, [upsert(student("S1")), deactivate("S1")], key="same"))
    assert [r["status"] for r in got] == ["ok", "ok"]
    assert server.users(ORG)[0]["status"] == "inactive"


def test_chunked_body_is_refused_with_400(client: httpx.Client) -> None:
    def chunks():
        yield b'{"operations": []}'

    response = client.post(BATCH_PATH, content=chunks(), headers={"Idempotency-Key": "c"})
    assert response.status_code == 400
    assert error_code(response) == "invalid_request"
