"""The platform client against the reference server: paging, batches, lost answers, errors."""

from __future__ import annotations

import json

import pytest

from sis_pipeline.http.retry import RetryPolicy
from sis_pipeline.sandbox.platform import PlatformFaults, PlatformServer
from sis_pipeline.sources.platform.client import PlatformClient, PlatformError
from sis_pipeline.sources.platform.settings import USER_COLUMNS
from sis_pipeline_tests.loopback_servers import fixed_answer_server

FAST = RetryPolicy(max_attempts=6, base_delay=0.01, max_delay=0.05, max_total_seconds=10)
ORG = "riverdale-high"
TOKEN = "test-platform-token"


@pytest.fixture
def server():
    with PlatformServer(TOKEN, {ORG: "Riverdale"}) as srv:
        yield srv


def client_for(server: PlatformServer, token: str = TOKEN, org: str = ORG) -> PlatformClient:
    return PlatformClient(server.url, token, org, policy=FAST)


def student(host_id: str, first: str = "Ada") -> dict:
    return {
        "host_id": host_id,
        "member_type": "student",
        "first_name": first,
        "last_name": "Lovelace",
        "graduation_year": 2027,
    }


def test_reads_all_users_across_pages(server):
    server.seed_users(ORG, [student(f"S{i:04d}") for i in range(2500)])
    with client_for(server) as client:
        pages = list(client.iter_user_pages())
    assert [len(p) for p in pages] == [1000, 1000, 500]
    host_ids = [u["host_id"] for page in pages for u in page]
    assert host_ids == sorted(host_ids) and len(set(host_ids)) == 2500


def test_a_listing_that_repeats_its_cursor_fails_after_one_round():
    body = b'{"data": [{"host_id": "S1", "member_type": "student", "status": "active"}], '
    with fixed_answer_server(200, body + b'"next_cursor": "again"}') as (url, seen):
        client = PlatformClient(url, TOKEN, ORG, policy=FAST)
        with client, pytest.raises(PlatformError, match="repeated a next_cursor"):
            list(client.iter_user_pages())
    assert len(seen) == 2


@pytest.mark.parametrize("lacking", ["host_id", "status"])
def test_one_user_lacking_a_field_fails_the_listing(lacking):
    users = [{"host_id": f"S{i}", "member_type": "student", "status": "active"} for i in range(3)]
    users[1][lacking] = None
    body = json.dumps({"data": users, "next_cursor": None}).encode()
    with (
        fixed_answer_server(200, body) as (url, _),
        PlatformClient(url, TOKEN, ORG) as client,
        pytest.raises(PlatformError, match=f"users lack {lacking}$"),
    ):
        list(client.iter_user_pages())


def listing_of(users: list[dict]) -> bytes:
    return json.dumps({"data": users, "next_cursor": None}).encode()


@pytest.mark.parametrize(
    ("field", "value"),
    [("first_name", 42), ("email", {"address": "x"}), ("host_id", ["S1"]), ("status", True)],
)
def test_a_user_field_of_another_type_fails_the_listing_naming_the_field_only(field, value):
    users = [{"host_id": f"S{i}", "member_type": "student", "status": "active"} for i in range(3)]
    users[2][field] = value
    with (
        fixed_answer_server(200, listing_of(users)) as (url, _),
        PlatformClient(url, TOKEN, ORG) as client,
        pytest.raises(PlatformError) as raised,
    ):
        list(client.iter_user_tables())
    assert str(raised.value) == f"platform users: a user's {field} is not text"
    assert raised.value.__cause__ is None and raised.value.__context__ is None


def test_a_year_or_grade_that_is_not_a_json_integer_reads_as_unknown():
    users = [
        {"host_id": "S1", "member_type": "student", "status": "active", "graduation_year": 2030},
        {"host_id": "S2", "member_type": "student", "status": "active", "graduation_year": "2030"},
        {"host_id": "S3", "member_type": "student", "status": "active", "grade_level": True},
        {"host_id": "S4", "member_type": "student", "status": "active", "grade_level": 2.5},
    ]
    with (
        fixed_answer_server(200, listing_of(users)) as (url, _),
        PlatformClient(url, TOKEN, ORG) as client,
    ):
        (page,) = list(client.iter_user_tables())
    assert page.schema == USER_COLUMNS
    assert page.column("graduation_year").to_pylist() == [2030, None, None, None]
    assert page.column("grade_level").to_pylist() == [None, None, None, None]


def test_a_year_past_the_column_range_fails_the_listing():
    users = [{"host_id": "S1", "member_type": "student", "status": "active"}]
    users[0]["graduation_year"] = 2**40
    with (
        fixed_answer_server(200, listing_of(users)) as (url, _),
        PlatformClient(url, TOKEN, ORG) as client,
        pytest.raises(PlatformError, match="graduation_year is not a whole number in range$"),
    ):
        list(client.iter_user_tables())


def test_listed_pages_keep_every_field_as_served(server):
    server.seed_users(ORG, [{**student("S0001"), "email": "ada@example.org", "grade_level": 11}])
    with client_for(server) as client:
        (page,) = list(client.iter_user_pages())
    (user,) = page
    assert set(user) == set(USER_COLUMNS.names)
    assert (user["host_id"], user["email"], user["graduation_year"], user["grade_level"]) == (
        "S0001",
        "ada@example.org",
        2027,
        11,
    )
    assert user["status"] == "active" and user["updated_at"]


def test_a_token_that_cannot_be_sent_becomes_our_error_without_the_token(server):
    with (
        client_for(server, token="tok-5c1e\n") as client,
        pytest.raises(PlatformError) as raised,
    ):
        client.org()
    assert str(raised.value) == "platform org: the request could not be sent (LocalProtocolError)"
    # httpx's exception quotes the header: it is neither the message nor attached.
    assert raised.value.__cause__ is None and raised.value.__context__ is None


def test_batch_results_come_back_in_order(server):
    server.seed_users(ORG, [student("S1")])
    with client_for(server) as client:
        results = client.apply_batch(
            [
                {"op": "upsert", "user": student("S2")},
                {"op": "deactivate", "host_id": "S404"},
                {"op": "deactivate", "host_id": "S1"},
            ],
            "key-1",
        )
    assert [r["status"] for r in results] == ["ok", "error", "ok"]
    assert results[1]["error"]["code"] == "not_found"


@pytest.mark.parametrize("mode", ["error", "drop"])
def test_a_lost_answer_is_retried_with_the_same_key_and_applied_once(server, mode):
    with client_for(server) as client:
        client.apply_batch([{"op": "upsert", "user": student("S0")}], "warm-up")
        # The next fresh batch is applied, then its answer is lost (503 or a dropped line).
        server.faults = PlatformFaults(fail_after_apply_every=1, fail_after_apply_mode=mode)
        results = client.apply_batch([{"op": "upsert", "user": student("S9")}], "lost")
    assert results == [{"index": 0, "status": "ok", "host_id": "S9", "created": True}]
    assert server.counters["created"] == 2
    assert server.counters["replayed"] == 1


def test_rate_limit_and_server_errors_are_retried(server):
    server.faults = PlatformFaults(rate_limit_every=2, retry_after_seconds=0, server_error_every=3)
    with client_for(server) as client:
        for i in range(4):
            client.apply_batch([{"op": "upsert", "user": student(f"S{i}")}], f"k{i}")
        users = [u for page in client.iter_user_pages() for u in page]
    assert len(users) == 4


def test_a_platform_that_keeps_failing_gives_up_in_bounded_time(server):
    server.faults = PlatformFaults(server_error_every=1)
    with client_for(server) as client, pytest.raises(PlatformError, match="gave up"):
        client.apply_batch([{"op": "upsert", "user": student("S1")}], "k")
    assert server.users(ORG) == []


def test_not_json_answers_are_retried_for_batches(server):
    server.faults = PlatformFaults(not_json_every=2)
    with client_for(server) as client:
        client.org()  # request 1
        results = client.apply_batch([{"op": "upsert", "user": student("S1")}], "k")  # 2 -> retry
    assert results[0]["status"] == "ok"
    assert server.counters["created"] == 1


def test_wrong_token_and_unknown_org_are_clear_errors(server):
    with client_for(server, token="nope") as client, pytest.raises(PlatformError) as raised:
        client.org()
    assert "refused the API token" in str(raised.value) and "nope" not in str(raised.value)
    with client_for(server, org="no-such-org") as client, pytest.raises(PlatformError) as raised:
        client.org()
    assert "no org 'no-such-org'" in str(raised.value)


def test_a_read_timeout_after_the_batch_applied_is_replayed_not_reapplied(server):
    # The platform takes 0.6 s per batch; the client gives up reading after 0.2 s, retries
    # with the same key (409 while the first request still holds it), then gets the replay.
    server.faults = PlatformFaults(latency_seconds=0.6)
    patient = RetryPolicy(max_attempts=30, base_delay=0.05, max_delay=0.1, max_total_seconds=10)
    with PlatformClient(server.url, TOKEN, ORG, policy=patient, timeout=0.2) as client:
        results = client.apply_batch([{"op": "upsert", "user": student("S1")}], "slow")
    assert results[0]["status"] == "ok"
    assert server.counters["created"] == 1 and server.counters["operations_applied"] == 1
    assert server.counters["replayed"] == 1
    assert [u["host_id"] for u in server.users(ORG)] == ["S1"]


def test_a_garbled_user_listing_is_read_again_and_never_taken_for_an_empty_org(server):
    server.seed_users(ORG, [student("S1"), student("S2")])
    server.faults = PlatformFaults(not_json_every=2)
    with client_for(server) as client:
        client.org()  # request 1
        users = [u for page in client.iter_user_pages() for u in page]  # 2 garbled, 3 read
    assert [u["host_id"] for u in users] == ["S1", "S2"]
    server.faults = PlatformFaults(not_json_every=1)
    with client_for(server) as client, pytest.raises(PlatformError) as raised:
        list(client.iter_user_pages())
    assert "gave up" in str(raised.value) and "not a JSON object" in str(raised.value)


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_each_transient_server_error_is_retried_for_reads_and_writes(server, status):
    server.faults = PlatformFaults(server_error_every=2, server_error_status=status)
    with client_for(server) as client:
        client.org()  # request 1; each next call meets one error first
        results = client.apply_batch([{"op": "upsert", "user": student("S1")}], "k")
        users = [u for page in client.iter_user_pages() for u in page]
    assert results[0]["status"] == "ok" and [u["host_id"] for u in users] == ["S1"]
    assert server.counters["created"] == 1


def test_batch_answers_without_usable_results_are_retried_then_a_clear_error():
    body = b'{"results": [{"index": 0}]}'
    with fixed_answer_server(200, body) as (url, seen):
        client = PlatformClient(url, TOKEN, ORG, policy=FAST)
        with client, pytest.raises(PlatformError) as raised:
            client.apply_batch([{"op": "upsert", "user": student("S1")}], "k")
    assert "gave up" in str(raised.value) and "without usable results" in str(raised.value)
    assert len(seen) == FAST.max_attempts
