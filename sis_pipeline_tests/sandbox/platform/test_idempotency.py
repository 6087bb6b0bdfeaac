"""Idempotency keys: replays apply nothing twice, reuse is 422, in-flight is 409, 24 h expiry."""

from __future__ import annotations

import json
import threading
import time

import httpx

from sis_pipeline.sandbox.platform import PlatformServer
from sis_pipeline_tests.sandbox.platform.support import (
    ORG,
    OTHER_ORG,
    ManualClock,
    deactivate,
    error_code,
    post_batch,
    results,
    student,
    upsert,
)

BATCH = [upsert(student("S1")), deactivate("P77"), upsert(student("S2"))]


def test_same_key_and_body_replays_the_stored_response_and_applies_nothing(
    server: PlatformServer, client: httpx.Client, clock: ManualClock
) -> None:
    first = post_batch(client, BATCH, key="k1")
    users_after_first = server.users(ORG)
    clock.advance(hours=1)
    second = post_batch(client, BATCH, key="k1")
    assert second.status_code == 200
    assert second.content == first.content
    assert second.json()["results"][0]["created"] is True
    assert server.users(ORG) == users_after_first
    counters = server.counters
    assert (counters["created"], counters["replayed"], counters["write_requests"]) == (2, 1, 1)
    assert counters["operations_applied"] == 2


def test_equal_json_body_in_another_spelling_is_the_same_body(
    server: PlatformServer, client: httpx.Client
) -> None:
    first = post_batch(client, BATCH, key="k1")
    respelled = json.dumps({"operations": BATCH}, indent=3, sort_keys=True)
    headers = {"Idempotency-Key": "k1", "Content-Type": "application/json"}
    second = client.post(f"/v1/orgs/{ORG}/users:batch", content=respelled, headers=headers)
    assert second.content == first.content
    assert server.counters["replayed"] == 1


def test_same_key_with_a_different_body_is_422(
    server: PlatformServer, client: httpx.Client
) -> None:
    results(post_batch(client, BATCH, key="k1"))
    response = post_batch(client, [upsert(student("S3"))], key="k1")
    assert response.status_code == 422
    assert error_code(response) == "idempotency_key_reused"
    assert [u["host_id"] for u in server.users(ORG)] == ["S1", "S2"]


def test_keys_are_scoped_to_the_org(server: PlatformServer, client: httpx.Client) -> None:
    results(post_batch(client, BATCH, key="k1", org=ORG))
    got = results(post_batch(client, [upsert(student("S9"))], key="k1", org=OTHER_ORG))
    assert got[0]["created"] is True
    assert [u["host_id"] for u in server.users(OTHER_ORG)] == ["S9"]


def test_a_second_request_while_the_first_is_in_flight_is_409(
    server: PlatformServer, client: httpx.Client
) -> None:
    server.faults.latency_seconds = 0.8
    first: dict[str, httpx.Response] = {}
    worker = threading.Thread(target=lambda: first.update(r=post_batch(client, BATCH, key="k1")))
    worker.start()
    deadline = time.monotonic() + 5
    while server.counters["batch_requests"] < 1 and time.monotonic() < deadline:
        time.sleep(0.01)
    time.sleep(0.2)  # the key is claimed within microseconds of the count
    for body in (BATCH, [upsert(student("S3"))]):
        racing = post_batch(client, body, key="k1")
        assert racing.status_code == 409
        assert error_code(racing) == "idempotency_key_in_use"
    worker.join()
    assert results(first["r"])[0]["created"] is True
    server.faults.latency_seconds = 0.0
    assert post_batch(client, BATCH, key="k1").content == first["r"].content
    assert server.counters["created"] == 2


def test_a_record_expires_after_24_hours(
    server: PlatformServer, client: httpx.Client, clock: ManualClock
) -> None:
    results(post_batch(client, BATCH, key="k1"))
    clock.advance(hours=23, minutes=59, seconds=59)
    assert post_batch(client, [upsert(student("S3"))], key="k1").status_code == 422
    assert post_batch(client, BATCH, key="k1").json()["results"][0]["created"] is True
    assert server.counters["replayed"] == 1
    clock.advance(seconds=1)
    again = results(post_batch(client, BATCH, key="k1"))
    assert again[0] == {"index": 0, "status": "ok", "host_id": "S1", "created": False}
    assert server.counters["write_requests"] == 2
    assert server.users(ORG)[0]["updated_at"] == "2026-11-21T10:00:00Z"


def test_after_expiry_the_key_may_carry_a_new_body(
    server: PlatformServer, client: httpx.Client, clock: ManualClock
) -> None:
    results(post_batch(client, BATCH, key="k1"))
    clock.advance(hours=24)
    got = results(post_batch(client, [upsert(student("S3"))], key="k1"))
    assert got[0]["created"] is True


def test_a_batch_whose_operations_all_failed_is_still_replayed(
    server: PlatformServer, client: httpx.Client
) -> None:
    first = post_batch(client, [deactivate("P77")], key="k1")
    server.seed_users(ORG, [student("P77")])
    second = post_batch(client, [deactivate("P77")], key="k1")
    assert second.content == first.content
    assert server.users(ORG)[0]["status"] == "active"
    assert server.counters["write_requests"] == 0
