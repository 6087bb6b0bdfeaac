"""Each fault knob: what the client sees and what the platform did meanwhile."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from sis_pipeline.sandbox.platform import PlatformFaults, PlatformServer
from sis_pipeline_tests.sandbox.platform.support import (
    ORG,
    deactivate,
    error_code,
    make_client,
    post_batch,
    results,
    student,
    upsert,
)

ORG_PATH = f"/v1/orgs/{ORG}"


def _statuses(client: httpx.Client, count: int) -> list[int]:
    return [client.get(ORG_PATH).status_code for _ in range(count)]


def test_every_kth_request_is_rate_limited_with_retry_after(
    server: PlatformServer, client: httpx.Client
) -> None:
    _statuses(client, 2)  # counting starts when the knob is set, not at server start
    server.faults.rate_limit_every = 3
    server.faults.retry_after_seconds = 7
    assert _statuses(client, 6) == [200, 200, 429, 200, 200, 429]
    server.faults.rate_limit_every = 1
    limited = client.get(ORG_PATH)
    assert limited.status_code == 429
    assert limited.headers["Retry-After"] == "7"
    assert error_code(limited) == "rate_limited"


def test_rate_limit_hits_before_auth_and_applies_nothing(server: PlatformServer) -> None:
    server.faults = PlatformFaults(rate_limit_every=1)
    with make_client(server.url) as client:
        response = post_batch(client, [upsert(student("S1"))])
    assert response.status_code == 429
    assert response.headers["Retry-After"] == "1"
    assert server.users(ORG) == []
    with make_client(server.url, token="wrong") as stranger:
        assert stranger.get(ORG_PATH).status_code == 429


@pytest.mark.parametrize(("status", "code"), [(503, "service_unavailable"), (502, "bad_gateway")])
def test_every_kth_request_is_a_server_error_and_applies_nothing(
    server: PlatformServer, client: httpx.Client, status: int, code: str
) -> None:
    server.faults.server_error_every = 2
    server.faults.server_error_status = status
    assert post_batch(client, [upsert(student("S1"))], key="a").status_code == 200
    failed = post_batch(client, [upsert(student("S2"))], key="b")
    assert failed.status_code == status
    assert error_code(failed) == code
    assert [u["host_id"] for u in server.users(ORG)] == ["S1"]
    assert results(post_batch(client, [upsert(student("S2"))], key="b"))[0]["created"] is True


def test_fail_after_apply_answers_503_and_a_retry_gets_the_stored_results(
    server: PlatformServer, client: httpx.Client
) -> None:
    server.faults.fail_after_apply_every = 1
    batch = [upsert(student("S1")), deactivate("P77")]
    failed = post_batch(client, batch, key="k1")
    assert failed.status_code == 503
    assert error_code(failed) == "service_unavailable"
    assert [u["host_id"] for u in server.users(ORG)] == ["S1"]
    retried = results(post_batch(client, batch, key="k1"))
    assert retried[0] == {"index": 0, "status": "ok", "host_id": "S1", "created": True}
    assert retried[1]["error"]["code"] == "not_found"
    counters = server.counters
    assert (counters["created"], counters["operations_applied"], counters["replayed"]) == (1, 1, 1)
    assert counters["write_requests"] == 1


def test_fail_after_apply_every_kth_counts_fresh_batches_only(
    server: PlatformServer, client: httpx.Client
) -> None:
    server.faults.fail_after_apply_every = 2
    codes = [
        post_batch(client, [upsert(student("S1"))], key="a").status_code,
        post_batch(client, [upsert(student("S1"))], key="a").status_code,  # replay
        post_batch(client, [upsert(student("S2"))], key="b").status_code,
        post_batch(client, [upsert(student("S3"))], key="c").status_code,
    ]
    assert codes == [200, 200, 503, 200]


def test_fail_after_apply_drop_closes_the_connection_without_an_answer(
    server: PlatformServer, client: httpx.Client
) -> None:
    server.faults.fail_after_apply_every = 1
    server.faults.fail_after_apply_mode = "drop"
    batch = [upsert(student("S1")), upsert(student("S2"))]
    with pytest.raises(httpx.RemoteProtocolError):
        post_batch(client, batch, key="k1")
    assert len(server.users(ORG)) == 2
    retried = results(post_batch(client, batch, key="k1"))
    assert [r["created"] for r in retried] == [True, True]
    assert server.counters["created"] == 2
    assert server.counters["replayed"] == 1


def test_not_json_answers_200_with_a_body_that_is_not_json_and_applies_nothing(
    server: PlatformServer, client: httpx.Client
) -> None:
    server.faults.not_json_every = 1
    response = post_batch(client, [upsert(student("S1"))])
    assert response.status_code == 200
    assert not response.headers["Content-Type"].startswith("application/json")
    with pytest.raises(ValueError):
        response.json()
    assert server.users(ORG) == []


def test_latency_delays_each_answer(server: PlatformServer, client: httpx.Client) -> None:
    server.faults.latency_seconds = 0.2
    started = time.monotonic()
    assert client.get(ORG_PATH).status_code == 200
    assert results(post_batch(client, [])) == []
    assert time.monotonic() - started >= 0.4


def test_faults_given_at_construction_are_on_from_the_first_request() -> None:
    faults = PlatformFaults(server_error_every=1, server_error_status=500)
    with PlatformServer(orgs={ORG: "R"}, faults=faults) as srv, make_client(srv.url) as client:
        response = client.get(ORG_PATH)
    assert response.status_code == 500
    assert error_code(response) == "internal_server_error"


@pytest.mark.parametrize(
    ("knob", "value"),
    [
        ("rate_limit_every", 0),
        ("server_error_every", -1),
        ("not_json_every", True),
        ("fail_after_apply_every", 1.5),
        ("fail_after_apply_mode", "explode"),
        ("server_error_status", 404),
    ],
)
def test_nonsense_knob_values_are_refused(knob: str, value: object) -> None:
    with pytest.raises(ValueError, match=knob):
        setattr(PlatformFaults(), knob, value)


def test_fault_counting_is_exact_under_concurrent_requests(server: PlatformServer) -> None:
    server.faults.rate_limit_every = 4
    with make_client(server.url) as client, ThreadPoolExecutor(8) as pool:
        statuses = list(pool.map(lambda _: client.get(ORG_PATH).status_code, range(40)))
    assert statuses.count(429) == 10
    assert statuses.count(200) == 30


def test_refused_host_ids_fail_with_their_code_and_change_nothing(
    server: PlatformServer, client: httpx.Client
) -> None:
    post_batch(client, [upsert(student("S1")), upsert(student("S2"))], key="seed")
    server.faults.refuse_host_ids = {"S1": "invalid_field", "S2": "not_found"}
    answer = results(
        post_batch(
            client,
            [upsert(student("S1", first_name="New")), deactivate("S2"), upsert(student("S4"))],
            key="refused",
        )
    )
    assert [r["status"] for r in answer] == ["error", "error", "ok"]
    assert [r["error"]["code"] for r in answer[:2]] == ["invalid_field", "not_found"]
    users = {user["host_id"]: user for user in server.users(ORG)}
    assert users["S1"]["first_name"] == "Ada" and users["S2"]["status"] == "active"
    assert "S4" in users
