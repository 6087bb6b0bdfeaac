"""Per-operation `invalid_field`: each rule of the user object table, over real HTTP."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from sis_pipeline.sandbox.platform import PlatformServer
from sis_pipeline_tests.sandbox.platform.support import (
    ORG,
    deactivate,
    post_batch,
    rename,
    results,
    student,
    teacher,
    upsert,
)

ABSENT = object()


def _student_with(field: str, value: Any) -> dict[str, Any]:
    user = student("S1")
    if value is ABSENT:
        user.pop(field, None)
    else:
        user[field] = value
    return user


INVALID_STUDENT_FIELDS = [
    ("host_id", ABSENT),
    ("host_id", ""),
    ("host_id", "a b"),
    ("host_id", "S1!"),
    ("host_id", "é1"),
    ("host_id", "x" * 65),
    ("host_id", "S1\n"),
    ("host_id", 123),
    ("host_id", None),
    ("member_type", ABSENT),
    ("member_type", "admin"),
    ("member_type", "Student"),
    ("member_type", None),
    ("first_name", ABSENT),
    ("first_name", None),
    ("first_name", ""),
    ("first_name", "   "),
    ("first_name", "x" * 101),
    ("first_name", 7),
    ("last_name", ABSENT),
    ("last_name", "\t"),
    ("last_name", "y" * 101),
    ("last_name", ["Lovelace"]),
    ("email", "no-at-sign"),
    ("email", "two@@example.org"),
    ("email", "a@b@c"),
    ("email", "a@" + "e" * 253),
    ("email", 5),
    ("graduation_year", ABSENT),
    ("graduation_year", None),
    ("graduation_year", 1899),
    ("graduation_year", 2101),
    ("graduation_year", "2027"),
    ("graduation_year", 2027.0),
    ("graduation_year", True),
    ("date_of_birth", "2009-4-1"),
    ("date_of_birth", "2009-02-30"),
    ("date_of_birth", "2009-04-01T00:00:00"),
    ("date_of_birth", "01/04/2009"),
    ("date_of_birth", "２００９-04-01"),
    ("date_of_birth", 20090401),
    ("gender", "x" * 17),
    ("gender", 1),
    ("grade_level", -3),
    ("grade_level", 14),
    ("grade_level", "9"),
    ("grade_level", 9.5),
    ("grade_level", False),
    ("status", "active"),
    ("status", None),
    ("updated_at", "2026-11-20T10:00:00Z"),
    ("nickname", "Ada"),
    ("HOST_ID", "S1"),
]


@pytest.mark.parametrize(("field", "value"), INVALID_STUDENT_FIELDS)
def test_field_breaking_a_rule_is_invalid_field_naming_it(
    server: PlatformServer, client: httpx.Client, field: str, value: Any
) -> None:
    [result] = results(post_batch(client, [upsert(_student_with(field, value))]))
    assert result["index"] == 0
    assert result["status"] == "error"
    assert result["error"]["code"] == "invalid_field"
    assert result["error"]["message"].split(":")[0] == field
    assert server.users(ORG) == []


@pytest.mark.parametrize("member_type", ["teacher", "parent"])
@pytest.mark.parametrize("year", [2027, 0, "2027"])
def test_graduation_year_must_be_null_for_teacher_and_parent(
    client: httpx.Client, member_type: str, year: Any
) -> None:
    user = teacher("T1", member_type=member_type, graduation_year=year)
    [result] = results(post_batch(client, [upsert(user)]))
    assert result["error"]["code"] == "invalid_field"
    assert "graduation_year" in result["error"]["message"]


def test_message_never_echoes_the_value_sent(client: httpx.Client) -> None:
    [result] = results(post_batch(client, [upsert(student("S1", email="secret-mail"))]))
    assert "secret-mail" not in result["error"]["message"]


VALID_EDGES = [
    {"host_id": "x" * 64},
    {"host_id": "a.B_c-9"},
    {"first_name": "  " + "x" * 100 + "  "},
    {"last_name": "L"},
    {"email": None},
    {"email": "a@" + "e" * 252},
    {"email": "@"},
    {"graduation_year": 1900},
    {"graduation_year": 2100},
    {"date_of_birth": "2008-02-29"},
    {"date_of_birth": None},
    {"gender": "x" * 16},
    {"gender": "X"},
    {"grade_level": -2},
    {"grade_level": 13},
    {"grade_level": None},
]


@pytest.mark.parametrize("fields", VALID_EDGES)
def test_values_at_the_edges_of_the_rules_are_accepted_and_stored_as_sent(
    server: PlatformServer, client: httpx.Client, fields: dict[str, Any]
) -> None:
    user = student("S1") | fields
    [result] = results(post_batch(client, [upsert(user)]))
    assert result["status"] == "ok", result
    [stored] = server.users(ORG)
    assert {name: stored[name] for name in user} == user


def test_teacher_and_parent_take_null_or_absent_graduation_year(client: httpx.Client) -> None:
    got = results(
        post_batch(
            client,
            [
                upsert(teacher("T1", graduation_year=None)),
                upsert(teacher("P1", member_type="parent")),
            ],
        )
    )
    assert [r["status"] for r in got] == ["ok", "ok"]


@pytest.mark.parametrize(
    ("operation", "field"),
    [
        ({"host_id": "S1"}, "op"),
        ({"op": "delete", "host_id": "S1"}, "op"),
        ({"op": None}, "op"),
        ({"op": "upsert"}, "user"),
        ({"op": "upsert", "user": "S1"}, "user"),
        ({"op": "upsert", "user": student("S1"), "host_id": "S1"}, "host_id"),
        ({"op": "deactivate"}, "host_id"),
        ({"op": "deactivate", "host_id": "bad id"}, "host_id"),
        ({"op": "deactivate", "host_id": "S1", "force": True}, "force"),
        ({"op": "change_host_id", "host_id": "S1"}, "new_host_id"),
        ({"op": "change_host_id", "host_id": "S1", "new_host_id": "x" * 65}, "new_host_id"),
        ({"op": "change_host_id", "host_id": 1, "new_host_id": "S2"}, "host_id"),
    ],
)
def test_operation_fields_breaking_a_rule_are_invalid_field(
    client: httpx.Client, operation: dict[str, Any], field: str
) -> None:
    [result] = results(post_batch(client, [operation]))
    assert result["error"]["code"] == "invalid_field"
    assert result["error"]["message"].split(":")[0] == field


def test_invalid_operations_change_nothing_and_the_rest_still_apply(
    server: PlatformServer, client: httpx.Client
) -> None:
    results(post_batch(client, [upsert(student("S1", first_name="Old"))], key="seed"))
    got = results(
        post_batch(
            client,
            [
                upsert(student("S1", first_name="New", grade_level=99)),
                upsert(student("S2")),
                deactivate("bad id"),
                rename("S1", "no good"),
            ],
        )
    )
    assert [r["status"] for r in got] == ["error", "ok", "error", "error"]
    assert [(u["host_id"], u["first_name"], u["status"]) for u in server.users(ORG)] == [
        ("S1", "Old", "active"),
        ("S2", "Ada", "active"),
    ]
