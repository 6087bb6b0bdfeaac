"""A student's enrolment fields (grade, status, school, dates, graduation year), consistent
with each other and with the school year that contains `today`."""

from __future__ import annotations

import numpy as np

from .context import GRADUATED_GRADE, GRADUATED_SCHOOL, Context
from .dates import calendar_days, iso_text
from .frames import int_column

ACTIVE, PRE_REGISTERED, TRANSFERRED, GRADUATED = 0, -1, 2, 3
GRADES = np.arange(-2, 13)
_GRADE_WEIGHTS = np.where(GRADES < 0, 0.3, 1.0) / np.where(GRADES < 0, 0.3, 1.0).sum()


def random_statuses(rng: np.random.Generator, n: int) -> np.ndarray:
    codes = np.array([ACTIVE, TRANSFERRED, PRE_REGISTERED, GRADUATED])
    return codes[rng.choice(4, size=n, p=[0.94, 0.03, 0.01, 0.02])]


def random_grades(rng: np.random.Generator, n: int) -> np.ndarray:
    return GRADES[rng.choice(len(GRADES), size=n, p=_GRADE_WEIGHTS)]


def _uniform_days(rng, low: np.ndarray, high: np.ndarray) -> np.ndarray:
    return low + np.floor(rng.random(len(low)) * np.maximum(high - low, 0)).astype(np.int64)


def enrolment(
    rng: np.random.Generator,
    ctx: Context,
    status: np.ndarray,
    grade: np.ndarray,
    school: np.ndarray,
) -> dict:
    """Column values for students with these statuses, grades (graduated ones get 99) and
    school numbers (graduated ones move to 999999)."""
    n = len(status)
    status = np.asarray(status, dtype=np.int64)
    grade = np.asarray(grade, dtype=np.int64).copy()
    school = np.asarray(school, dtype=np.int64).copy()
    graduated, pre_registered = status == GRADUATED, status == PRE_REGISTERED
    transferred = ~np.isin(status, [ACTIVE, PRE_REGISTERED, GRADUATED])
    graduation = ctx.end_year + 12 - grade + pre_registered
    graduation[graduated] = ctx.end_year - 1 - rng.integers(0, 3, int(graduated.sum()))
    grade[graduated], school[graduated] = GRADUATED_GRADE, GRADUATED_SCHOOL

    first_day = int(calendar_days(ctx.start_year, 8, 20))
    today = ctx.today_day
    entry = np.full(n, first_day, dtype=np.int64)
    late = (rng.random(n) < 0.12) & (status == ACTIVE) & (today > first_day)
    entry[late] = _uniform_days(rng, entry[late], np.full(int(late.sum()), today))
    exit_ = np.full(n, int(calendar_days(ctx.end_year, 6, 10)), dtype=np.int64)
    entry[transferred] = first_day - 365
    exit_[transferred] = _uniform_days(
        rng, entry[transferred] + 1, np.full(int(transferred.sum()), today - 1)
    )
    entry[pre_registered] = calendar_days(ctx.end_year, 8, 20)
    exit_[pre_registered] = calendar_days(ctx.end_year + 1, 6, 10)
    entry[graduated] = calendar_days(graduation[graduated] - 1, 8, 20)
    exit_[graduated] = calendar_days(graduation[graduated], 6, 5)

    grade_in_school_year = np.where(
        graduated, 12 + ctx.end_year - graduation, grade - pre_registered
    )
    dob = calendar_days(ctx.start_year - 6 - grade_in_school_year, 9, 2) + rng.integers(0, 365, n)
    dob += np.where(rng.random(n) < 0.04, rng.choice([-365, 365], n), 0)
    return {
        "grade_level": int_column(grade),
        "sched_yearofgraduation": int_column(graduation),
        "classof": int_column(graduation),
        "enroll_status": int_column(status),
        "schoolid": int_column(school),
        "entrydate": iso_text(entry),
        "exitdate": iso_text(exit_),
        "dob": iso_text(dob),
    }
