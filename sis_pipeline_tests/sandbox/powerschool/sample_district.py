"""A tiny hand-built district for the simulator tests: few rows, every awkward value type."""

from __future__ import annotations

import datetime as dt

import pandas as pd

CLIENT_ID = "test-client"
CLIENT_SECRET = "test-secret"

# Rows deliberately out of key order; nulls in text, number and date columns.
STUDENTS = pd.DataFrame(
    {
        "dcid": [105, 101, 103, 102, 104, 107, 106],
        "id": [5, 1, 3, 2, 4, 7, 6],
        "student_number": [1005, 1001, 1003, 1002, 1004, 1007, 1006],
        "first_name": ["Eve", "Ann", "Cat", "Bob", "Dan", None, "Fay"],
        "last_name": ["Evans", "Adams", "Carter", "Baker", "Dunn", "Gray", "Fox"],
        "dob": [
            "2009-05-01",
            "2008-01-15",
            None,
            "2010-12-31",
            "2008-07-04",
            "2011-02-02",
            "2009-09-09",
        ],
        "gender": ["F", "F", "F", "M", "M", "X", "F"],
        "grade_level": pd.array([10, 12, 11, None, 12, 9, 10], dtype="Int64"),
        "sched_yearofgraduation": [2027.0, 2025.0, 2026.0, float("nan"), 2025.0, 2028.0, 2027.0],
        "enroll_status": [0, 0, 2, 0, 3, 0, -1],
        "schoolid": [100, 100, 200, 100, 200, 200, 100],
    }
)

USERS = pd.DataFrame(
    {
        "dcid": [11, 12, 13],
        "first_name": ["Tia", "Ugo", "Val"],
        "last_name": ["Teach", "Usher", "Vance"],
        "email_addr": ["tia@school.test", None, "val@school.test"],
        "teachernumber": ["T11", "T12", None],
        "homeschoolid": [100, 200, 0],
        "ptaccess": [1, 1, 0],
    }
)

SCHOOLSTAFF = pd.DataFrame(
    {
        "dcid": [21, 22, 23],
        "id": [201, 202, 203],
        "users_dcid": [11, 12, 13],
        "schoolid": [100, 200, 100],
        "status": [1, 1, 2],
    }
)

EMAILADDRESS = pd.DataFrame(
    {
        "emailaddressid": [1, 2],
        "emailaddress": ["p1@home.test", "p2@home.test"],
        "whencreated": [dt.date(2024, 8, 1), pd.Timestamp("2024-09-02 10:17:37")],
    }
)

SCHOOLS = pd.DataFrame(
    {"dcid": [1, 2], "id": [1, 2], "school_number": [100, 200], "name": ["North", "South"]}
)


def sample_tables() -> dict[str, pd.DataFrame]:
    return {
        "students": STUDENTS.copy(),
        "users": USERS.copy(),
        "schoolstaff": SCHOOLSTAFF.copy(),
        "emailaddress": EMAILADDRESS.copy(),
        "schools": SCHOOLS.copy(),
    }
