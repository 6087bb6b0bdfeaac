"""Each fault knob, switched on while the simulator runs."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

from sis_pipeline.sandbox.powerschool import PowerSchoolFaults, PowerSchoolSimulator

from .ws_client import WsClient, request_token


def statuses(ws: WsClient, n: int, path: str = "/ws/v1/metadata") -> list[int]:
    return [ws.get(path).status_code for _ in range(n)]


def test_token_expires_after_n_requests_then_a_new_token_works(
    sim: PowerSchoolSimulator, ws: WsClient
) -> None:
    sim.faults.token_expires_after_requests = 2
    old = ws.token
    assert statuses(ws, 2) == [200, 200]
    expired = ws.get("/ws/v1/metadata")
    assert expired.status_code == 401
    assert 'error_description="The access token has expired"' in expired.headers["WWW-Authenticate"]
    ws.token = ws.fresh_token()
    assert ws.token != old
    assert statuses(ws, 2) == [200, 200]
    assert ws.get("/ws/v1/metadata").status_code == 401


def test_rate_limit_every_kth_request_with_retry_after(
    sim: PowerSchoolSimulator, ws: WsClient
) -> None:
    sim.faults.rate_limit_every = 3
    sim.faults.retry_after_seconds = 7
    responses = [ws.get("/ws/schema/table/students/count") for _ in range(6)]
    assert [r.status_code for r in responses] == [200, 200, 429, 200, 200, 429]
    assert responses[2].headers["Retry-After"] == "7"
    assert "message" in responses[2].json()
    assert "Retry-After" not in responses[0].headers


def test_server_error_every_kth_request(sim: PowerSchoolSimulator, ws: WsClient) -> None:
    sim.faults.server_error_every = 2
    assert statuses(ws, 4) == [200, 500, 200, 500]
    sim.faults.server_error_status = 503
    response = [ws.get("/ws/v1/metadata") for _ in range(2)][1]
    assert response.status_code == 503
    assert set(response.json()) == {"message"}


def test_rate_limit_wins_when_both_fire(sim: PowerSchoolSimulator, ws: WsClient) -> None:
    sim.faults = PowerSchoolFaults(rate_limit_every=2, server_error_every=3)
    assert statuses(ws, 6) == [200, 429, 500, 429, 200, 429]


def test_unauthenticated_requests_do_not_advance_the_schedule(
    sim: PowerSchoolSimulator, ws: WsClient
) -> None:
    sim.faults.rate_limit_every = 2
    assert ws.http.get("/ws/v1/metadata", headers={"Accept": "application/json"}).status_code == 401
    assert statuses(ws, 2) == [200, 429]


def test_schedule_restarts_on_new_faults_and_reset(sim: PowerSchoolSimulator, ws: WsClient) -> None:
    statuses(ws, 2)
    sim.faults = PowerSchoolFaults(rate_limit_every=2)
    assert statuses(ws, 2) == [200, 429]
    ws.get("/ws/v1/metadata")
    sim.reset_counts()
    assert statuses(ws, 2) == [200, 429]


def test_every_kth_is_exact_under_concurrency(sim: PowerSchoolSimulator, ws: WsClient) -> None:
    sim.faults.rate_limit_every = 5
    headers = {"Authorization": f"Bearer {ws.token}", "Accept": "application/json"}

    def call(_: int) -> int:
        return ws.http.get("/ws/v1/metadata", headers=headers).status_code  # Client is thread-safe

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(call, range(40)))
    assert results.count(429) == 8
    assert results.count(200) == 32


def test_latency_delays_every_answer(sim: PowerSchoolSimulator, ws: WsClient) -> None:
    sim.faults.latency_seconds = 0.2
    started = time.perf_counter()
    assert ws.get("/ws/v1/metadata").status_code == 200
    assert request_token(ws.http).status_code == 200
    assert time.perf_counter() - started >= 0.4


def test_empty_tables_answer_no_rows_and_count_zero(
    sim: PowerSchoolSimulator, ws: WsClient
) -> None:
    sim.faults.empty_tables = {"students"}
    assert ws.rows("students", projection="dcid") == []
    assert ws.get("/ws/schema/table/students/count").json() == {"count": 0}
    assert ws.get("/ws/schema/table/students/101", projection="dcid").status_code == 404
    assert len(ws.rows("users", projection="dcid")) == 3


def test_failing_pages_answer_500_every_time(sim: PowerSchoolSimulator, ws: WsClient) -> None:
    sim.faults.fail_table_pages = {"students": {2}}
    pages = [ws.get("/ws/schema/table/students", projection="dcid", page=p) for p in (1, 2, 2, 3)]
    assert [r.status_code for r in pages] == [200, 500, 500, 200]
    assert "message" in pages[1].json()


def test_count_skew_makes_count_disagree_with_rows(sim: PowerSchoolSimulator, ws: WsClient) -> None:
    sim.faults.count_skew = {"students": 2, "users": -10}
    assert ws.get("/ws/schema/table/students/count").json() == {"count": 9}
    assert ws.get("/ws/schema/table/users/count").json() == {"count": 0}


def test_request_counts_per_path_template(sim: PowerSchoolSimulator, ws: WsClient) -> None:
    request_token(ws.http, "/oauth/access_token/")
    ws.get("/ws/v1/metadata")
    ws.get("/ws/schema/table/Students", projection="dcid")
    ws.get("/ws/schema/table/students", projection="dcid", page=2)
    ws.get("/ws/schema/table/students/count")
    ws.get("/ws/schema/table/students/101", projection="dcid")
    ws.get("/ws/schema/table/users", projection="nope")
    assert sim.request_counts == {
        "/oauth/access_token": 2,
        "/ws/v1/metadata": 1,
        "/ws/schema/table/students": 2,
        "/ws/schema/table/students/count": 1,
        "/ws/schema/table/students/{id}": 1,
        "/ws/schema/table/users": 1,
    }
    assert sim.requests[:2] == [
        ("POST", "/oauth/access_token", 200),
        ("POST", "/oauth/access_token/", 200),
    ]
    assert sim.requests[-1] == ("GET", "/ws/schema/table/users", 400)
    sim.reset_counts()
    assert sim.request_counts == {}
    assert sim.requests == []


def test_a_table_that_ignores_page_serves_page_one_again(
    sim: PowerSchoolSimulator, ws: WsClient
) -> None:
    first = [r["id"] for r in ws.rows("students", projection="dcid", page=1)]
    sim.faults.page_ignored = {"Students"}
    assert [r["id"] for r in ws.rows("students", projection="dcid", page=2)] == first
    assert ws.rows("users", projection="dcid", page=2) != ws.rows("users", projection="dcid")


def test_a_table_may_answer_in_reverse_key_order_without_sort(
    sim: PowerSchoolSimulator, ws: WsClient
) -> None:
    def ids(**params: object) -> list[int]:  # 7 rows in pages of 3
        pages = [ws.rows("students", projection="dcid", page=p, **params) for p in (1, 2, 3)]
        return [r["id"] for page in pages for r in page]

    ascending = ids()
    sim.faults.reversed_without_sort = {"students"}
    assert ids() == ascending[::-1]
    assert ids(sort="dcid") == ascending


def test_rows_inserted_ahead_serve_the_end_of_page_one_again(
    sim: PowerSchoolSimulator, ws: WsClient
) -> None:
    def ids(page: int) -> list[int]:
        return [r["id"] for r in ws.rows("students", projection="dcid", sort="dcid", page=page)]

    pages = [ids(page) for page in (1, 2, 3)]  # 3 + 3 + 1 rows
    sim.faults.rows_inserted_ahead = {"students": 1}
    assert ids(1) == pages[0]
    assert ids(2) == [pages[0][-1], *pages[1][:-1]]
    assert ids(3) == [pages[1][-1], *pages[2]]


def test_the_token_endpoint_can_hand_out_a_given_token(
    sim: PowerSchoolSimulator, ws: WsClient
) -> None:
    sim.faults.access_token = "odd\r\ntoken"
    assert request_token(ws.http).json()["access_token"] == "odd\r\ntoken"


def test_metadata_can_leave_out_the_page_size(sim: PowerSchoolSimulator, ws: WsClient) -> None:
    sim.faults.metadata_without_page_size = True
    metadata = ws.get("/ws/v1/metadata").json()["metadata"]
    assert "schema_table_query_max_page_size" not in metadata
    assert len(ws.rows("students", projection="dcid", pagesize=100)) == 3
