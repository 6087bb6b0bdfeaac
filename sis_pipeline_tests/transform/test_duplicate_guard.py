"""Creates are held while the person plainly has an account under an old host ID."""

from __future__ import annotations

from datetime import date

from sis_pipeline.transform import build_changeset, build_roster, pending_operations
from sis_pipeline_tests.transform.raw_tables import (
    rows,
    school_settings,
    student,
    write_platform_users,
    write_raw_tables,
    write_roster,
)

ADA = {
    "host_id": "S2038788",
    "member_type": "student",
    "first_name": "Ada",
    "last_name": "Lovelace",
    "graduation_year": 2028,
    "grade_level": 10,
    "date_of_birth": "2010-05-06",
    "source_id": "2038788",
}


def held(con) -> list[tuple]:
    return rows(
        con,
        "SELECT host_id, action, held, hold_reason FROM sync.changeset WHERE held ORDER BY 1",
    )


def candidates(con) -> list[tuple]:
    return rows(con, "SELECT * FROM sync.reconciliation_candidates ORDER BY 1, 2")


def test_held_when_an_unmanaged_user_has_the_raw_id(con):
    write_roster(con, [ADA])
    # Inactive old accounts count; "0..." is the same number.
    write_platform_users(
        con,
        [
            {**ADA, "host_id": "2038788", "first_name": "Other", "status": "inactive"},
            {**ADA, "host_id": "002038788", "first_name": "Other", "date_of_birth": None},
        ],
    )
    summary = build_changeset(con, school_settings())
    assert held(con) == [("S2038788", "create", True, "duplicate_guard")]
    assert candidates(con) == [
        ("S2038788", "002038788", "student", "raw_id"),
        ("S2038788", "2038788", "student", "raw_id"),
    ]
    assert summary.held == 1
    assert summary.actions["create"] == 0
    assert pending_operations(con) == []  # a held create is not sent


def test_held_by_normalised_name_and_birth_date(con):
    write_roster(con, [ADA])
    write_platform_users(
        con,
        [{**ADA, "host_id": "ada-old", "first_name": " ADA ", "last_name": "lovelace"}],
    )
    build_changeset(con, school_settings(optional_fields=["date_of_birth"]))
    assert held(con) == [("S2038788", "create", True, "duplicate_guard")]
    assert candidates(con) == [("S2038788", "ada-old", "student", "name_and_birth_date")]


def test_not_held_by_name_alone_or_other_member_type_or_managed_user(con):
    grace = {**ADA, "first_name": "Grace", "last_name": "Hopper", "date_of_birth": None}
    write_roster(con, [ADA, {**grace, "host_id": "S7", "source_id": "7"}])
    write_platform_users(
        con,
        [
            {**ADA, "host_id": "old-1", "date_of_birth": "2011-01-01"},  # other birth date
            {**grace, "host_id": "old-7", "date_of_birth": "2010-05-06"},  # roster has none
            {**grace, "host_id": "old-8"},  # neither has one
            {**ADA, "host_id": "2038788", "member_type": "teacher"},  # other member type
            {**ADA, "host_id": "S9", "first_name": "Ada"},  # managed: a different person
        ],
    )
    summary = build_changeset(con, school_settings())
    assert held(con) == []
    assert candidates(con) == []
    assert summary.actions["create"] == 2


def test_guard_uses_the_configured_student_id_from_raw_data(con):
    write_raw_tables(con, {"students": [student(42, dcid="9042")]})
    build_roster(
        con, school_settings(member_types=["student"], student_id_field="dcid"), date(2026, 3, 2)
    )
    write_platform_users(
        con,
        [
            {**ADA, "host_id": "42"},  # the student number: not the ID this school uses
            {**ADA, "host_id": "9042", "first_name": "X"},
        ],
    )
    build_changeset(con, school_settings(member_types=["student"], student_id_field="dcid"))
    assert candidates(con) == [("S9042", "9042", "student", "raw_id")]


def test_released_once_the_old_account_is_renamed(con):
    write_roster(con, [ADA])
    write_platform_users(con, [{**ADA, "host_id": "2038788", "status": "inactive"}])
    build_changeset(con, school_settings())
    assert held(con) != []
    write_platform_users(con, [{**ADA, "status": "inactive"}])  # after change_host_id
    build_changeset(con, school_settings())
    assert held(con) == []
    assert rows(con, "SELECT action FROM sync.changeset") == [("reactivate",)]
