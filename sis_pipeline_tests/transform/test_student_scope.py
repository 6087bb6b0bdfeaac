"""Which students reach the roster: enroll status, school numbers, grade range, ID field."""

from __future__ import annotations

from datetime import date

from sis_pipeline.transform import build_roster
from sis_pipeline_tests.transform.raw_tables import rows, school_settings, student, write_raw_tables

TODAY = date(2026, 3, 2)


def host_ids(con) -> list[str]:
    return [r[0] for r in rows(con, "SELECT host_id FROM sync.roster ORDER BY host_id")]


def test_only_active_enrollments(con):
    write_raw_tables(
        con,
        {
            "students": [
                student(1),
                student(2, enroll_status="2"),
                student(3, enroll_status="-1"),
                student(4, enroll_status=None),
                student(5, enroll_status="0.0"),
            ]
        },
    )
    build_roster(con, school_settings(member_types=["student"]), TODAY)
    assert host_ids(con) == ["S1", "S5"]


def test_school_numbers_filter_and_default_all(con):
    write_raw_tables(
        con, {"students": [student(1, schoolid="100"), student(2, schoolid="200"), student(3)]}
    )
    build_roster(con, school_settings(member_types=["student"], school_numbers=[200]), TODAY)
    assert host_ids(con) == ["S2"]
    build_roster(con, school_settings(member_types=["student"]), TODAY)
    assert host_ids(con) == ["S1", "S2", "S3"]


def test_grade_range_is_inclusive_and_null_grade_is_outside(con):
    write_raw_tables(
        con,
        {
            "students": [
                student(8, grade_level="8"),
                student(9, grade_level="9"),
                student(12, grade_level="12"),
                student(13, grade_level="13"),
                student(20, grade_level=None),
                student(21, grade_level="abc"),
            ]
        },
    )
    summary = build_roster(
        con, school_settings(member_types=["student"], grades={"from": 9, "to": 12}), TODAY
    )
    assert host_ids(con) == ["S12", "S9"]
    assert summary.quarantined == 0  # out of scope is not quarantined
    build_roster(con, school_settings(member_types=["student"]), TODAY)
    # Without a range a missing grade is in scope and sent as null.
    assert ("S20", None) in rows(con, "SELECT host_id, grade_level FROM sync.roster")


def test_host_id_from_student_number_or_dcid(con):
    write_raw_tables(con, {"students": [student(7, dcid="5007"), student(8, dcid="0005008")]})
    build_roster(con, school_settings(member_types=["student"]), TODAY)
    assert rows(con, "SELECT host_id, source_id FROM sync.roster ORDER BY 1") == [
        ("S7", "7"),
        ("S8", "8"),
    ]
    build_roster(con, school_settings(member_types=["student"], student_id_field="dcid"), TODAY)
    # Leading zeros do not survive into the host ID; the raw ID is kept as sent.
    assert rows(con, "SELECT host_id, source_id FROM sync.roster ORDER BY 1") == [
        ("S5007", "5007"),
        ("S5008", "0005008"),
    ]


def test_numeric_ids_render_without_zeros_or_decimals_and_prefix_applies(con):
    write_raw_tables(con, {"students": [student("0042"), student("43.0"), student("44.5")]})
    summary = build_roster(
        con,
        school_settings(member_types=["student"], id_prefixes={"student": "stu-"}),
        TODAY,
    )
    assert host_ids(con) == ["stu-42", "stu-43"]
    assert summary.quarantine_reasons == {"invalid:host_id": 1}


def test_ids_overlapping_across_tables_stay_apart(con):
    write_raw_tables(
        con,
        {
            "students": [student(42, dcid="7", person_id="900")],
            "users": [{"dcid": "42", "first_name": "Tom", "last_name": "Teach"}],
            "schoolstaff": [{"dcid": "1", "users_dcid": "42", "schoolid": "100", "status": "1"}],
            "person": [{"id": "42", "firstname": "Pat", "lastname": "Parent", "isactive": "1"}],
            "studentcontactassoc": [
                {"studentcontactassocid": "1", "studentdcid": "7", "personid": "42"}
            ],
            "studentcontactdetail": [
                {"studentcontactdetailid": "1", "studentcontactassocid": "1", "isactive": "1"}
            ],
        },
    )
    summary = build_roster(con, school_settings(), TODAY)
    assert host_ids(con) == ["P42", "S42", "T42"]
    assert summary.members == {"student": 1, "teacher": 1, "parent": 1}
