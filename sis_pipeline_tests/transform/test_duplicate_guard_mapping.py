"""The guard also holds a person the school's mapping gives an old account, until renamed."""

from __future__ import annotations

from sis_pipeline.config.mapping_file import MappingRow
from sis_pipeline.transform import build_changeset
from sis_pipeline.transform.reconciliation import build_reconciliation
from sis_pipeline_tests.transform.raw_tables import (
    rows,
    school_settings,
    write_platform_users,
    write_roster,
)


def student(host_id: str, first_name: str) -> dict:
    return {
        "host_id": host_id,
        "member_type": "student",
        "first_name": first_name,
        "last_name": "Lovelace",
        "graduation_year": 2028,
    }


def test_mapped_old_accounts_hold_creates_whether_planned_rejected_or_not_yet_renamed(con):
    roster = [student("S1", "Ada"), student("S2", "Bo"), student("S3", "Cy"), student("S4", "Di")]
    write_roster(con, roster)
    write_platform_users(
        con,
        [
            student("ada-2024", "Ada"),  # a former scheme: no evidence the guard knows itself
            student("bo-a", "Bo"),
            student("bo-b", "Bo"),
            {**student("cy-2024", "Cy"), "member_type": "teacher", "graduation_year": None},
        ],
    )
    mapping = [
        MappingRow(2, "ada-2024", "S1"),  # planned
        MappingRow(3, "bo-a", "S2"),  # rejected: S2 twice
        MappingRow(4, "bo-b", "S2"),
        MappingRow(5, "cy-2024", "S3"),  # rejected: a teacher's account; held no create
    ]
    build_reconciliation(con, school_settings(), mapping)
    # The reconciliation was a test run, or its renames failed: the sync comes next.
    build_changeset(con, school_settings())
    assert rows(con, "SELECT * FROM sync.reconciliation_candidates") == [
        ("S1", "ada-2024", "student", "mapping"),
        ("S2", "bo-a", "student", "mapping"),
        ("S2", "bo-b", "student", "mapping"),
    ]
    assert rows(con, "SELECT host_id, action, held FROM sync.changeset ORDER BY 1") == [
        ("S1", "create", True),
        ("S2", "create", True),
        ("S3", "create", False),
        ("S4", "create", False),
    ]

    # Ada's account renamed: her row updates it, nothing is held for her any more.
    write_platform_users(con, [student("S1", "Ada"), student("bo-a", "Bo"), student("bo-b", "Bo")])
    build_changeset(con, school_settings())
    assert rows(con, "SELECT host_id, action, held FROM sync.changeset ORDER BY 1")[:2] == [
        ("S1", "unchanged", False),
        ("S2", "create", True),
    ]


def test_without_any_reconciliation_nothing_is_held_for_a_mapping(con):
    write_roster(con, [student("S1", "Ada")])
    write_platform_users(con, [student("ada-2024", "Ada")])
    build_changeset(con, school_settings())
    assert rows(con, "SELECT action, held FROM sync.changeset") == [("create", False)]
