"""Plant the students' hard cases on a batch in generator order (see hard_cases)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from . import hard_names
from .context import Context
from .enrolment import ACTIVE, GRADUATED, PRE_REGISTERED, TRANSFERRED, enrolment
from .hard_cases import ACTIVE_ROLE_STUDENTS, STUDENT_ROLES

_NAMES = {
    "accents": hard_names.ACCENTS,
    "apostrophe": hard_names.APOSTROPHE,
    "hyphen": hard_names.HYPHEN,
    "non_latin": hard_names.NON_LATIN,
    "stray_spaces": hard_names.STRAY_SPACES,
    "nfd": hard_names.NFD,
}
_GRADES = {"grade_minus_2": -2, "grade_minus_1": -1, "grade_0": 0, "grade_12": 12}
# Fixed grades where the case needs one: an older and a younger sibling, twins alike.
_FIXED_GRADES = {0: 11, 1: 6, 2: 3, 3: 3}


def set_enrolment(rng, ctx: Context, students: pd.DataFrame, rows, status, grades, school) -> None:
    rows = np.asarray(rows)
    n = len(rows)
    values = enrolment(
        rng,
        ctx,
        np.broadcast_to(np.asarray(status), n),
        np.broadcast_to(np.asarray(grades), n),
        np.broadcast_to(np.asarray(school), n),
    )
    for column, value in values.items():
        students.loc[rows, column] = pd.array(value, dtype=students[column].dtype)


def plant_students(rng: np.random.Generator, ctx: Context, students: pd.DataFrame) -> None:
    role = STUDENT_ROLES
    active = np.array(ACTIVE_ROLE_STUDENTS)
    grades = rng.integers(1, 12, len(active))
    for index, grade in _FIXED_GRADES.items():
        grades[active == index] = grade
    for case, grade in _GRADES.items():
        grades[active == role[case][0]] = grade
    set_enrolment(rng, ctx, students, active, ACTIVE, grades, ctx.main_school)
    twin, other_twin = role["twins"]
    students.loc[other_twin, "dob"] = students.loc[twin, "dob"]
    for row in role["inactive"]:
        set_enrolment(rng, ctx, students, [row], TRANSFERRED, 7, ctx.main_school)
    set_enrolment(rng, ctx, students, role["graduated"], GRADUATED, 12, ctx.main_school)
    set_enrolment(rng, ctx, students, role["pre_registered"], PRE_REGISTERED, 0, ctx.main_school)

    for case, (first, last) in _NAMES.items():
        students.loc[role[case][0], ["first_name", "last_name"]] = [first, last]
    students.loc[role["long_name"][0], "last_name"] = hard_names.LONG_LAST_NAME
    students.loc[role["name_100_after_normalising"][0], "last_name"] = hard_names.LAST_NAME_100
    students.loc[role["graduation_year_null"][0], "sched_yearofgraduation"] = None
    students.loc[role["graduation_year_zero"][0], "sched_yearofgraduation"] = 0
    students.loc[role["last_name_null"][0], "last_name"] = None
    students.loc[role["last_name_empty"][0], "last_name"] = ""
