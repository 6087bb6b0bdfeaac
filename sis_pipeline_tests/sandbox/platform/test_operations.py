"""What upsert, deactivate and change_host_id do to users, and the results they report."""

from __future__ import annotations

import httpx
import pytest

from sis_pipeline.sandbox.platform import PlatformServer
from sis_pipeline_tests.sandbox.platform.support import (
    ORG,
    ManualClock,
    deactivate,
    post_batch,
    rename,
    results,
    student,
    teacher,
    upsert,
)

FULL_STUDENT = student(
    "S1",
    email="ada@example.org",
    date_of_birth="2009-04-01",
    gender="F",
    grade_level=11,
)


def _only_user(server: PlatformServer) -> dict:
    [user] = server.users(ORG)
    return user


def test_upsert_creates_an_active_user_with_absent_fields_null(
    server: PlatformServer, client: httpx.Client
) -> None:
    got = results(post_batch(client, [upsert(teacher("T1"))]))
    assert got == [{"index": 0, "status": "ok", "host_id": "T1", "created": True}]
    assert _only_user(server) == {
        "host_id": "T1",
        "member_type": "teacher",
        "first_name": "Alan",
        "last_name": "T",
        "email": None,
        "graduation_year": None,
        "date_of_birth": None,
        "gender": None,
        "grade_level": None,
        "status": "active",
        "updated_at": "2026-11-20T10:00:00Z",
    }


def test_upsert_of_an_existing_user_replaces_every_writable_field(
    server: PlatformServer, client: httpx.Client, clock: ManualClock
) -> None:
    results(post_batch(client, [upsert(FULL_STUDENT)], key="one"))
    clock.advance(hours=1)
    got = results(post_batch(client, [upsert(student("S1", first_name="Ada B"))], key="two"))
    assert got == [{"index": 0, "status": "ok", "host_id": "S1", "created": False}]
    user = _only_user(server)
    assert (user["first_name"], user["email"], user["date_of_birth"]) == ("Ada B", None, None)
    assert (user["gender"], user["grade_level"]) == (None, None)
    assert user["updated_at"] == "2026-11-20T11:00:00Z"


def test_upsert_that_changes_nothing_is_still_a_write(
    server: PlatformServer, client: httpx.Client, clock: ManualClock
) -> None:
    results(post_batch(client, [upsert(FULL_STUDENT)], key="one"))
    clock.advance(minutes=5, seconds=30.9)
    results(post_batch(client, [upsert(FULL_STUDENT)], key="two"))
    assert _only_user(server)["updated_at"] == "2026-11-20T10:05:30Z"
    assert server.counters["updated"] == 1


def test_upsert_may_change_member_type(server: PlatformServer, client: httpx.Client) -> None:
    results(post_batch(client, [upsert(student("X1")), upsert(teacher("X1"))]))
    user = _only_user(server)
    assert (user["member_type"], user["graduation_year"]) == ("teacher", None)


def test_upsert_reactivates_an_inactive_user(server: PlatformServer, client: httpx.Client) -> None:
    server.seed_users(ORG, [student("S1", status="inactive")])
    results(post_batch(client, [upsert(student("S1"))]))
    assert _only_user(server)["status"] == "active"


def test_deactivate_sets_inactive_and_again_is_a_success_that_changes_nothing(
    server: PlatformServer, client: httpx.Client, clock: ManualClock
) -> None:
    results(post_batch(client, [upsert(FULL_STUDENT)], key="one"))
    clock.advance(days=1)
    got = results(post_batch(client, [deactivate("S1")], key="two"))
    assert got == [{"index": 0, "status": "ok", "host_id": "S1"}]
    before = _only_user(server)
    assert (before["status"], before["updated_at"]) == ("inactive", "2026-11-21T10:00:00Z")
    assert before["email"] == "ada@example.org"  # deactivation keeps the account as it was
    clock.advance(days=1)
    again = results(post_batch(client, [deactivate("S1")], key="three"))
    assert again == [{"index": 0, "status": "ok", "host_id": "S1"}]
    assert _only_user(server) == before
    assert server.counters["deactivated"] == 1
    assert server.counters["operations_applied"] == 3


def test_deactivate_of_an_unknown_user_is_not_found(client: httpx.Client) -> None:
    [result] = results(post_batch(client, [deactivate("P77")]))
    assert result == {
        "index": 0,
        "status": "error",
        "error": {"code": "not_found", "message": "no user P77"},
    }


@pytest.mark.parametrize("status", ["active", "inactive"])
def test_change_host_id_keeps_the_account_and_its_status(
    server: PlatformServer, client: httpx.Client, clock: ManualClock, status: str
) -> None:
    server.seed_users(ORG, [FULL_STUDENT | {"host_id": "1234", "status": status}])
    clock.advance(hours=2)
    got = results(post_batch(client, [rename("1234", "S1234")]))
    assert got == [{"index": 0, "status": "ok", "host_id": "S1234"}]
    user = _only_user(server)
    expected = FULL_STUDENT | {"host_id": "S1234", "status": status}
    assert user == expected | {"updated_at": "2026-11-20T12:00:00Z"}
    assert server.counters["renamed"] == 1


def test_change_host_id_of_an_unknown_user_is_not_found(client: httpx.Client) -> None:
    [result] = results(post_batch(client, [rename("1234", "S1234")]))
    assert result["error"]["code"] == "not_found"


@pytest.mark.parametrize("new_host_id", ["S2", "S1"])
def test_change_host_id_to_an_existing_host_id_is_a_conflict_and_changes_nothing(
    server: PlatformServer, client: httpx.Client, new_host_id: str
) -> None:
    server.seed_users(ORG, [student("S1", first_name="One"), student("S2", first_name="Two")])
    before = server.users(ORG)
    [result] = results(post_batch(client, [rename("S1", new_host_id)]))
    assert result["status"] == "error"
    assert result["error"]["code"] == "host_id_conflict"
    assert server.users(ORG) == before


def test_operations_apply_in_order_each_seeing_the_ones_before(
    server: PlatformServer, client: httpx.Client
) -> None:
    got = results(
        post_batch(
            client,
            [
                upsert(student("1")),
                rename("1", "S1"),
                upsert(student("1", first_name="Fresh")),
                deactivate("S1"),
                rename("S1", "1"),
                deactivate("P9"),
                upsert(student("S1")),
            ],
        )
    )
    assert [r["index"] for r in got] == list(range(7))
    assert [r["status"] for r in got] == ["ok", "ok", "ok", "ok", "error", "error", "ok"]
    assert got[4]["error"]["code"] == "host_id_conflict"
    assert [r.get("created") for r in got] == [True, None, True, None, None, None, False]
    users = {u["host_id"]: (u["first_name"], u["status"]) for u in server.users(ORG)}
    assert users == {"1": ("Fresh", "active"), "S1": ("Ada", "active")}


def test_seed_users_checks_fields_and_status(server: PlatformServer) -> None:
    with pytest.raises(ValueError, match="graduation_year"):
        server.seed_users(ORG, [student("S1", graduation_year=None)])
    with pytest.raises(ValueError, match="status"):
        server.seed_users(ORG, [student("S1", status="gone")])
    with pytest.raises(KeyError):
        server.seed_users("no-such-org", [student("S1")])
    assert server.users(ORG) == []
