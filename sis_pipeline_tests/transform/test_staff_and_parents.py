"""Which teachers and parents reach the roster."""

from __future__ import annotations

from datetime import date

from sis_pipeline.transform import build_roster
from sis_pipeline_tests.transform.raw_tables import rows, school_settings, student, write_raw_tables

TODAY = date(2026, 3, 2)


def staff(users_dcid: str, schoolid: str = "100", status: str = "1", dcid: str = "0") -> dict:
    return {"dcid": dcid, "users_dcid": users_dcid, "schoolid": schoolid, "status": status}


def user(dcid: str) -> dict:
    return {"dcid": dcid, "first_name": "Tess", "last_name": f"Teacher{dcid}"}


def roster_ids(con, member_type: str) -> list[str]:
    return [
        r[0]
        for r in rows(
            con, f"SELECT host_id FROM sync.roster WHERE member_type = '{member_type}' ORDER BY 1"
        )
    ]


def test_teacher_needs_active_staff_row_in_the_school_numbers(con):
    write_raw_tables(
        con,
        {
            "students": [],
            "users": [user("1"), user("2"), user("3"), user("4"), user("5")],
            "schoolstaff": [
                staff("1", dcid="10"),
                staff("1", schoolid="200", dcid="11"),  # two schools: still one user
                staff("2", status="2", dcid="12"),  # inactive
                staff("3", schoolid="300", dcid="13"),  # other school
                staff("4", status=None, dcid="14"),
            ],
        },
    )
    build_roster(con, school_settings(member_types=["teacher"], school_numbers=[100, 200]), TODAY)
    assert roster_ids(con, "teacher") == ["T1"]
    build_roster(con, school_settings(member_types=["teacher"]), TODAY)
    assert roster_ids(con, "teacher") == ["T1", "T3"]


def contact_tables(details: list[dict], persons: list[dict], students: list[dict]) -> dict:
    """One association per detail row: detail i links person `personid` to student dcid."""
    assocs = [
        {
            "studentcontactassocid": str(i),
            "studentdcid": d.pop("studentdcid"),
            "personid": d.pop("personid"),
        }
        for i, d in enumerate(details)
    ]
    return {
        "students": students,
        "person": persons,
        "studentcontactassoc": assocs,
        "studentcontactdetail": [
            {"studentcontactdetailid": str(i), "studentcontactassocid": str(i), **d}
            for i, d in enumerate(details)
        ],
    }


def person(pid: str, isactive: str | None = "1") -> dict:
    return {"id": pid, "firstname": "Pat", "lastname": f"Parent{pid}", "isactive": isactive}


def detail(pid: str, student_dcid: str = "1001", **fields) -> dict:
    return {"personid": pid, "studentdcid": student_dcid, "isactive": "1", **fields}


def test_parents_are_current_active_contacts_of_students_in_scope(con):
    tables = contact_tables(
        details=[
            detail("1"),  # current, no dates
            detail("2", startdate="2026-03-02", enddate="2026-03-02"),  # today is inclusive
            detail("3", isactive="0"),
            detail("4", enddate="2026-03-01"),  # ended yesterday
            detail("5", startdate="2026-03-03"),  # starts tomorrow
            detail("6"),  # inactive person
            detail("7", student_dcid="1002"),  # contact of an out-of-scope student only
            detail("8", enddate="2026-13-45"),  # an end date that is no date
            detail("9"),  # the own person record of a student, even one out of scope
        ],
        persons=[person(str(i)) for i in range(1, 10) if i != 6] + [person("6", "0")],
        students=[
            student(1, person_id="500"),
            student(2, enroll_status="3", person_id="9"),
        ],
    )
    write_raw_tables(con, tables)
    build_roster(con, school_settings(), TODAY)
    assert roster_ids(con, "parent") == ["P1", "P2"]


def test_parents_synced_when_students_are_not(con):
    write_raw_tables(
        con, contact_tables([detail("1")], [person("1")], [student(1), student(2, last=None)])
    )
    summary = build_roster(con, school_settings(member_types=["parent"]), TODAY)
    assert roster_ids(con, "parent") == ["P1"]
    assert roster_ids(con, "student") == []
    # Students not synced are still validated and quarantined.
    assert summary.quarantine_reasons == {"missing:last_name": 1}
    assert rows(con, "SELECT host_id, source_table FROM sync.quarantine") == [("S2", "students")]


def test_contact_of_a_quarantined_student_only_is_not_a_parent(con):
    write_raw_tables(
        con,
        contact_tables(
            [detail("1", student_dcid="1002"), detail("2", student_dcid="1001")],
            [person("1"), person("2")],
            [student(1), student(2, sched_yearofgraduation="0")],
        ),
    )
    build_roster(con, school_settings(member_types=["parent"]), TODAY)
    assert roster_ids(con, "parent") == ["P2"]


def test_member_types_not_synced_leave_no_rows_even_with_stale_tables(con):
    write_raw_tables(
        con,
        {
            "students": [student(1)],
            "users": [user("1")],
            "schoolstaff": [staff("1")],
        },
    )
    summary = build_roster(con, school_settings(member_types=["student"]), TODAY)
    assert summary.members == {"student": 1, "teacher": 0, "parent": 0}
    assert "users" not in summary.raw_row_counts
