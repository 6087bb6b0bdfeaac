"""A returning school's old platform accounts, built from a generated district's people."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from sis_pipeline.sandbox.district import District


def _plain(district: District, table: str) -> pd.DataFrame:
    """Rows of `table` planted with no hard case, so every one of them is synced as it is."""
    frame = district.tables[table]
    planted = {
        number
        for case, numbers in district.hard_cases.items()
        if case != "id_overlap"
        for number in numbers
    }
    return frame[~frame["dcid"].isin(planted)]


def old_accounts(
    district: District, school_number: int = 100, student_id_field: str = "student_number"
) -> dict[str, dict]:
    """new host ID -> last year's account of that person: students under their raw ID (one
    with leading zeros, one inactive), two under a former scheme `rdl-<ID>`, and a teacher
    under the raw USERS.DCID. Names and birth dates are the person's own."""
    students = _plain(district, "students")
    students = students[
        (students["schoolid"] == school_number) & (students["enroll_status"] == 0)
    ].sort_values("dcid")
    staff = district.tables["schoolstaff"]
    working = staff[(staff["schoolid"] == school_number) & (staff["status"] == 1)]["users_dcid"]
    teachers = _plain(district, "users")
    teacher = teachers[teachers["dcid"].isin(working)].sort_values("dcid").iloc[0]
    old_ids = [
        ("{n}", "active"),
        ("00{n}", "active"),
        ("{n}", "inactive"),
        ("rdl-{n}", "active"),
        ("rdl-{n}", "active"),
    ]
    accounts = {}
    picked = students.head(len(old_ids)).iterrows()
    for (pattern, status), (_, row) in zip(old_ids, picked, strict=True):
        number = int(row[student_id_field])
        accounts[f"S{number}"] = {
            "host_id": pattern.format(n=number),
            "member_type": "student",
            "first_name": row["first_name"].strip(),
            "last_name": row["last_name"].strip(),
            "graduation_year": int(row["sched_yearofgraduation"]),
            "date_of_birth": row["dob"],
            # No grade last year: the sync sets it once the account is renamed.
            "grade_level": None,
            "status": status,
        }
    accounts[f"T{int(teacher['dcid'])}"] = {
        "host_id": str(int(teacher["dcid"])),
        "member_type": "teacher",
        "first_name": teacher["first_name"].strip(),
        "last_name": teacher["last_name"].strip(),
    }
    return accounts


def write_mapping(path: Path, pairs: list[tuple[str, str]], *, bom: bool = False) -> Path:
    lines = ["old_host_id,new_host_id", *(f"{old},{new}" for old, new in pairs)]
    path.write_text(("\ufeff" if bom else "") + "\n".join(lines) + "\n", encoding="utf-8")
    return path
