"""The server object: lifecycle, counters and behaviour under concurrent clients."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from sis_pipeline.sandbox.platform import PlatformServer
from sis_pipeline_tests.sandbox.platform.support import (
    ORG,
    deactivate,
    make_client,
    post_batch,
    rename,
    results,
    student,
    upsert,
)


def test_counters_count_requests_per_endpoint_and_effects(
    server: PlatformServer, client: httpx.Client
) -> None:
    client.get(f"/v1/orgs/{ORG}")
    client.get(f"/v1/orgs/{ORG}/users")
    client.get(f"/v1/orgs/{ORG}/users", params={"limit": 0})
    post_batch(client, [])
    post_batch(client, [upsert(student("S1")), upsert(student("S2"))], key="a")
    post_batch(client, [upsert(student("S1")), deactivate("S2"), rename("S1", "S3")], key="b")
    post_batch(client, [upsert(student("S1")), deactivate("S2"), rename("S1", "S3")], key="b")
    post_batch(client, [deactivate("nobody")], key="c")
    client.get("/v1/elsewhere")
    assert server.counters == {
        "requests": 9,
        "batch_requests": 5,
        "operations_applied": 5,
        "created": 2,
        "updated": 1,
        "deactivated": 1,
        "renamed": 1,
        "replayed": 1,
        "write_requests": 3,
        "GET /v1/orgs/{org}": 1,
        "GET /v1/orgs/{org}/users": 2,
        "POST /v1/orgs/{org}/users:batch": 5,
        "GET (no such endpoint)": 1,
    }


def test_reset_counters_zeroes_them(server: PlatformServer, client: httpx.Client) -> None:
    results(post_batch(client, [upsert(student("S1"))]))
    server.reset_counters()
    counters = server.counters
    assert set(counters.values()) == {0}
    assert "created" in counters and "write_requests" in counters
    client.get(f"/v1/orgs/{ORG}")
    assert server.counters["requests"] == 1


def test_concurrent_batches_all_apply_exactly_once(server: PlatformServer) -> None:
    def send(n: int) -> int:
        return post_batch(client, [upsert(student(f"S{n:02d}"))], key=f"k{n}").status_code

    with make_client(server.url) as client, ThreadPoolExecutor(8) as pool:
        assert set(pool.map(send, range(40))) == {200}
    assert len(server.users(ORG)) == 40
    assert server.counters["created"] == 40
    assert server.counters["write_requests"] == 40


def test_stop_refuses_further_connections_and_start_serves_again(clock) -> None:
    srv = PlatformServer(orgs={ORG: "R"}, clock=clock)
    assert srv.start().startswith("http://127.0.0.1:")
    with pytest.raises(RuntimeError):
        srv.start()
    url = srv.url
    with make_client(url, token="sandbox-platform-token") as client:
        assert client.get(f"/v1/orgs/{ORG}").status_code == 200
        srv.stop()
        with pytest.raises(RuntimeError):
            _ = srv.url
        with pytest.raises(httpx.TransportError):
            client.get(f"/v1/orgs/{ORG}")
    srv.stop()  # stopping twice is harmless
    with srv, make_client(srv.url, token="sandbox-platform-token") as client:
        assert client.get(f"/v1/orgs/{ORG}").json()["name"] == "R"


def test_an_empty_token_is_refused() -> None:
    with pytest.raises(ValueError, match="token"):
        PlatformServer(token="")
