"""Birth date, gender and e-mail: sent only when enabled, null and noted when refused."""

from __future__ import annotations

from datetime import date

from sis_pipeline.transform import build_roster
from sis_pipeline_tests.transform.raw_tables import rows, school_settings, student, write_raw_tables

TODAY = date(2026, 3, 2)
ALL_FIELDS = ["date_of_birth", "gender", "email"]


def email_tables(assocs: list[tuple[str, str, str | None, str | None]], emails: dict) -> dict:
    """assocs: (personid, emailaddressid, isprimary, priority order)."""
    return {
        "personemailaddressassoc": [
            {
                "personemailaddressassocid": str(i),
                "personid": person,
                "emailaddressid": address,
                "isprimaryemailaddress": primary,
                "emailaddresspriorityorder": order,
            }
            for i, (person, address, primary, order) in enumerate(assocs)
        ],
        "emailaddress": [{"emailaddressid": k, "emailaddress": v} for k, v in emails.items()],
    }


def test_optional_fields_off_are_null_even_when_the_file_holds_them(con):
    write_raw_tables(
        con,
        {
            "students": [student(1, dob="2010-05-06", gender="F", person_id="7")],
            **email_tables([("7", "1", "1", "1")], {"1": "ada@example.org"}),
        },
    )
    build_roster(con, school_settings(member_types=["student"]), TODAY)
    assert rows(con, "SELECT email, date_of_birth, gender FROM sync.roster") == [(None, None, None)]


def test_optional_fields_on_are_sent(con):
    write_raw_tables(
        con,
        {
            "students": [student(1, dob="2010-05-06", gender=" F ", person_id="7")],
            **email_tables([("7", "1", "1", "1")], {"1": "  ada@example.org "}),
        },
    )
    summary = build_roster(
        con, school_settings(member_types=["student"], optional_fields=ALL_FIELDS), TODAY
    )
    assert rows(con, "SELECT email, date_of_birth, gender FROM sync.roster") == [
        ("ada@example.org", "2010-05-06", "F")
    ]
    assert summary.field_notes == {}


def test_refused_values_are_sent_null_and_noted_without_the_value(con):
    write_raw_tables(
        con,
        {
            "students": [
                student(1, dob="2026-13-45", gender="G" * 17, person_id="71"),
                student(2, dob="2010-5-6", person_id="72"),
                student(3, person_id="73"),
                student(4, person_id="74"),
                student(5, dob=None, person_id="75"),
            ],
            **email_tables(
                [("71", "1", "1", "1"), ("72", "2", "1", "1"), ("73", "3", "1", "1")],
                {"1": "no-at-sign.example.org", "2": "a@b@example.org", "3": "   "},
            ),
        },
    )
    summary = build_roster(
        con, school_settings(member_types=["student"], optional_fields=ALL_FIELDS), TODAY
    )
    assert rows(con, "SELECT host_id, email, date_of_birth, gender FROM sync.roster") == [
        ("S1", None, None, None),
        ("S2", None, None, None),
        ("S3", None, None, None),
        ("S4", None, None, None),
        ("S5", None, None, None),
    ]
    assert rows(con, "SELECT * FROM sync.field_notes") == [
        ("S1", "date_of_birth", "invalid_date"),
        ("S1", "email", "not_one_at_sign"),
        ("S1", "gender", "too_long"),
        ("S2", "date_of_birth", "invalid_date"),
        ("S2", "email", "not_one_at_sign"),
        ("S3", "email", "empty"),
    ]
    assert summary.field_notes == {
        "date_of_birth:invalid_date": 2,
        "email:empty": 1,
        "email:not_one_at_sign": 2,
        "gender:too_long": 1,
    }
    assert summary.quarantined == 0  # the people are still synced


def test_email_longer_than_254_is_refused(con):
    long_email = "a" * 250 + "@b.org"
    write_raw_tables(
        con,
        {
            "students": [student(1, person_id="7")],
            **email_tables([("7", "1", "1", "1")], {"1": long_email}),
        },
    )
    build_roster(con, school_settings(member_types=["student"], optional_fields=["email"]), TODAY)
    assert rows(con, "SELECT host_id, note FROM sync.field_notes") == [("S1", "too_long")]


def test_primary_email_choice(con):
    assocs = [
        # person 1: primary wins over a better priority that is not primary
        ("1", "11", "0", "1"),
        ("1", "12", "1", "2"),
        # person 2: among primaries the lowest priority order, then the lowest address id
        ("2", "23", "1", "2"),
        ("2", "22", "1", "1"),
        ("2", "21", "1", "1"),
        # person 3: no primary: the lowest priority order
        ("3", "32", "0", "3"),
        ("3", "31", "0", "2"),
    ]
    emails = {k: f"address{k}@example.org" for k in ["11", "12", "21", "22", "23", "31", "32"]}
    write_raw_tables(
        con,
        {
            "students": [
                student(1, person_id="1"),
                student(2, person_id="2"),
                student(3, person_id="3"),
            ],
            **email_tables(assocs, emails),
        },
    )
    build_roster(con, school_settings(member_types=["student"], optional_fields=["email"]), TODAY)
    assert rows(con, "SELECT host_id, email FROM sync.roster") == [
        ("S1", "address12@example.org"),
        ("S2", "address21@example.org"),
        ("S3", "address31@example.org"),
    ]


def test_teacher_and_parent_emails(con):
    write_raw_tables(
        con,
        {
            "students": [student(1, person_id="500")],
            "users": [
                {"dcid": "1", "first_name": "T", "last_name": "One", "email_addr": " t@x.org"},
                {"dcid": "2", "first_name": "T", "last_name": "Two", "email_addr": None},
            ],
            "schoolstaff": [
                {"dcid": "1", "users_dcid": "1", "schoolid": "100", "status": "1"},
                {"dcid": "2", "users_dcid": "2", "schoolid": "100", "status": "1"},
            ],
            "person": [{"id": "9", "firstname": "P", "lastname": "Nine", "isactive": "1"}],
            "studentcontactassoc": [
                {"studentcontactassocid": "1", "studentdcid": "1001", "personid": "9"}
            ],
            "studentcontactdetail": [
                {"studentcontactdetailid": "1", "studentcontactassocid": "1", "isactive": "1"}
            ],
            **email_tables(
                [("9", "1", "1", "1"), ("500", "2", "1", "1")],
                {"1": "p@x.org", "2": "s@x.org"},
            ),
        },
    )
    summary = build_roster(con, school_settings(optional_fields=["email"]), TODAY)
    assert rows(con, "SELECT host_id, email FROM sync.roster") == [
        ("P9", "p@x.org"),
        ("S1", "s@x.org"),
        ("T1", "t@x.org"),
        ("T2", None),
    ]
    assert summary.field_notes == {}  # no address at all is not a refusal
