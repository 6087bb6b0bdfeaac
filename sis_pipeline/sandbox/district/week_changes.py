"""The changes of one week on existing rows: renames, departures, promotions, a return.

Each takes row positions in the sorted tables and returns the IDs it changed.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .context import GRADUATED_GRADE, GRADUATED_SCHOOL, Context
from .dates import calendar_days, iso_day
from .enrolment import GRADUATED, TRANSFERRED
from .names import LATIN, pick_first_names, pick_last_names


def _positions(frame: pd.DataFrame, column: str, ids) -> np.ndarray:
    """Row positions of `ids` in a frame sorted by `column`."""
    return np.searchsorted(frame[column].to_numpy(dtype=np.int64), np.asarray(ids, dtype=np.int64))


def _dcids(frame: pd.DataFrame, rows: np.ndarray, column: str = "dcid") -> list[int]:
    return [int(v) for v in frame[column].to_numpy(dtype=np.int64)[rows]]


def _new_last_names(rng, n: int) -> np.ndarray:
    return pick_last_names(rng, np.full(n, LATIN))[0]


def rename_students(rng, tables, rows: np.ndarray) -> list[int]:
    """Half take a new last name, the others a new first name; their PERSON rows follow."""
    students, persons = tables["students"], tables["person"]
    last, first = rows[: (len(rows) + 1) // 2], rows[(len(rows) + 1) // 2 :]
    students.loc[last, "last_name"] = _new_last_names(rng, len(last))
    genders = students.gender.to_numpy(dtype=object)[first]
    students.loc[first, "first_name"] = pick_first_names(rng, np.full(len(first), LATIN), genders)[
        0
    ]
    own = _positions(persons, "id", students.person_id.to_numpy(dtype=np.int64)[rows])
    for source, target in (("first_name", "firstname"), ("last_name", "lastname")):
        persons.loc[own, target] = students[source].to_numpy(dtype=object)[rows]
    return _dcids(students, rows)


def rename_parents(rng, tables, rows: np.ndarray) -> list[int]:
    persons = tables["person"]
    persons.loc[rows, "lastname"] = _new_last_names(rng, len(rows))
    return _dcids(persons, rows, "id")


def rename_staff(rng, tables, rows: np.ndarray) -> list[int]:
    users = tables["users"]
    users.loc[rows, "last_name"] = _new_last_names(rng, len(rows))
    return _dcids(users, rows)


def depart_students(rng, ctx: Context, tables, rows: np.ndarray) -> list[int]:
    """Grade 12 students graduate; the others transfer out during the past week."""
    students = tables["students"]
    grade = students.grade_level.to_numpy(dtype=np.int64)[rows]
    graduating, leaving = rows[grade == 12], rows[grade != 12]
    students.loc[graduating, ["enroll_status", "schoolid", "grade_level"]] = [
        GRADUATED,
        GRADUATED_SCHOOL,
        GRADUATED_GRADE,
    ]
    students.loc[graduating, "exitdate"] = iso_day(ctx.today_day)
    students.loc[leaving, "enroll_status"] = TRANSFERRED
    exits = ctx.today_day - rng.integers(1, 7, len(leaving))
    students.loc[leaving, "exitdate"] = [iso_day(int(day)) for day in exits]
    return _dcids(students, rows)


def promote_students(tables, rows: np.ndarray) -> list[int]:
    """Moved up a grade (a skipped grade), so graduating a year earlier."""
    students = tables["students"]
    students.loc[rows, "grade_level"] = students.grade_level.iloc[rows] + 1
    for column in ("sched_yearofgraduation", "classof"):
        students.loc[rows, column] = students[column].iloc[rows] - 1
    return _dcids(students, rows)


def return_students(ctx: Context, tables, rows: np.ndarray) -> list[int]:
    """Leavers who come back this week, to the first school, in the grade they left in."""
    students = tables["students"]
    students.loc[rows, ["enroll_status", "schoolid"]] = [0, ctx.main_school]
    students.loc[rows, "entrydate"] = iso_day(ctx.today_day)
    students.loc[rows, "exitdate"] = iso_day(int(calendar_days(ctx.end_year, 6, 10)))
    return _dcids(students, rows)


def depart_staff(tables, rows: np.ndarray) -> list[int]:
    users, staff = tables["users"], tables["schoolstaff"]
    dcids = _dcids(users, rows)
    staff.loc[staff.users_dcid.isin(dcids), "status"] = 2
    return dcids


def end_contacts(ctx: Context, tables, rows: np.ndarray) -> list[int]:
    """These parents' links all ended yesterday."""
    persons, assoc, detail = (
        tables["person"],
        tables["studentcontactassoc"],
        tables["studentcontactdetail"],
    )
    ids = _dcids(persons, rows, "id")
    links = assoc.studentcontactassocid[assoc.personid.isin(ids)]
    detail.loc[detail.studentcontactassocid.isin(links), "enddate"] = iso_day(ctx.today_day - 1)
    return ids
