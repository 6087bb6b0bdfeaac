"""Rows that break a rule are quarantined with a reason code, and the rest go on."""

from __future__ import annotations

from datetime import date

from sis_pipeline.transform import build_roster
from sis_pipeline_tests.transform.raw_tables import rows, school_settings, student, write_raw_tables

TODAY = date(2026, 3, 2)
STUDENTS_ONLY = school_settings(member_types=["student"])


def quarantine(con) -> list[tuple]:
    return rows(con, "SELECT host_id, reason FROM sync.quarantine ORDER BY host_id, reason")


def test_each_rule_quarantines_with_its_reason(con):
    write_raw_tables(
        con,
        {
            "students": [
                student(1),
                student(2, last=None),
                student(3, first="   "),
                student(4, sched_yearofgraduation="0"),
                student(5, sched_yearofgraduation=None),
                student(6, sched_yearofgraduation="20x8"),
                student(7, sched_yearofgraduation="1899"),
                student(8, first="x" * 101),
                student(9, grade_level="abc"),
                student(10, grade_level="14"),
                student(11, grade_level="-3"),
                student(12, dcid="5012"),
                student(12, dcid="6012"),
                student(98, dcid="5098", student_number=None),
                student(99, dcid="5099", student_number=" "),
            ]
        },
    )
    summary = build_roster(con, STUDENTS_ONLY, TODAY)
    assert quarantine(con) == [
        ("S10", "invalid:grade_level"),
        ("S11", "invalid:grade_level"),
        ("S12", "duplicate:host_id"),
        ("S12", "duplicate:host_id"),
        ("S2", "missing:last_name"),
        ("S3", "missing:first_name"),
        ("S4", "missing:graduation_year"),
        ("S5", "missing:graduation_year"),
        ("S6", "invalid:graduation_year"),
        ("S7", "invalid:graduation_year"),
        ("S8", "too_long:first_name"),
        ("S9", "invalid:grade_level"),
        (None, "missing:host_id"),
        (None, "missing:host_id"),
    ]
    assert rows(con, "SELECT host_id FROM sync.roster") == [("S1",)]
    assert summary.quarantined == 14
    assert summary.quarantine_reasons["duplicate:host_id"] == 2
    # The quarantine names the source record, never a personal value.
    assert ("students", "5012") in rows(con, "SELECT source_table, source_id FROM sync.quarantine")


def test_a_row_broken_twice_is_one_quarantined_row_with_two_reasons(con):
    write_raw_tables(con, {"students": [student(1, first=None, last=None)]})
    summary = build_roster(con, STUDENTS_ONLY, TODAY)
    assert summary.quarantined == 1
    assert summary.quarantine_reasons == {"missing:first_name": 1, "missing:last_name": 1}


def test_teacher_and_parent_rules(con):
    write_raw_tables(
        con,
        {
            "students": [],
            "users": [
                {"dcid": "1", "first_name": "Tess", "last_name": None},
                {"dcid": "abc", "first_name": "Tess", "last_name": "Two"},
                {"dcid": "3", "first_name": "Tess", "last_name": "Three"},
            ],
            "schoolstaff": [
                {"dcid": str(i), "users_dcid": u, "schoolid": "100", "status": "1"}
                for i, u in enumerate(["1", "abc", "3"])
            ],
        },
    )
    build_roster(con, school_settings(member_types=["teacher"]), TODAY)
    assert quarantine(con) == [("T1", "missing:last_name"), (None, "invalid:host_id")]
    assert rows(con, "SELECT host_id, graduation_year, grade_level FROM sync.roster") == [
        ("T3", None, None)
    ]


def test_names_are_trimmed_collapsed_nfc_and_controls_dropped(con):
    write_raw_tables(
        con,
        {
            "students": [
                student(1, first="  Ada \t  Mary\u00a0 ", last="Love\x07lace\n"),
                student(2, first="Jose\u0301", last="Nin\u0303o"),
                student(3, first="x" * 98 + "  y", last="L"),  # 101 chars before collapsing
            ]
        },
    )
    summary = build_roster(con, STUDENTS_ONLY, TODAY)
    assert rows(con, "SELECT first_name, last_name FROM sync.roster ORDER BY host_id") == [
        ("Ada Mary", "Lovelace"),
        ("Jos\u00e9", "Ni\u00f1o"),
        ("x" * 98 + " y", "L"),
    ]
    assert summary.quarantined == 0


def test_nfc_is_applied_before_the_length_limit(con):
    # 100 letters with a combining accent are 200 code points in NFD and 100 in NFC.
    write_raw_tables(con, {"students": [student(1, first="e\u0301" * 100)]})
    build_roster(con, STUDENTS_ONLY, TODAY)
    assert rows(con, "SELECT length(first_name) FROM sync.roster") == [(100,)]


def test_garbage_does_not_stop_the_run(con):
    write_raw_tables(
        con,
        {
            "students": [
                student(1, first="\x00\x01", last="\u2028"),
                student(2, grade_level="9" * 40, sched_yearofgraduation="9" * 40),
                student(3, first="Ok" * 5000),
                student(4, enroll_status="zero", schoolid="north"),
                student(5),
            ]
        },
    )
    summary = build_roster(con, STUDENTS_ONLY, TODAY)
    assert rows(con, "SELECT host_id FROM sync.roster") == [("S5",)]
    assert summary.quarantine_reasons == {
        "invalid:grade_level": 1,
        "invalid:graduation_year": 1,
        "missing:first_name": 1,
        "missing:last_name": 1,
        "too_long:first_name": 1,
    }


def test_quarantine_of_rows_without_any_host_id(con):
    write_raw_tables(con, {"students": [student(1, student_number=None)]})
    build_roster(con, STUDENTS_ONLY, TODAY)
    assert rows(con, "SELECT * FROM sync.quarantine") == [
        (None, "student", "students", "1001", "missing:host_id")
    ]
    assert rows(
        con,
        "SELECT data_type FROM information_schema.columns "
        "WHERE table_schema = 'sync' AND table_name = 'quarantine' "
        "AND column_name = 'host_id'",
    ) == [("VARCHAR",)]
