"""Who a week's changes may touch: ordinary people, never a planted hard case (nor a student
whose contacts are one), each picked at most once."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .context import Context
from .dates import iso_day
from .hard_cases import CASE_TABLES


def planted(hard_cases: dict[str, list[int]], table: str) -> set[int]:
    """IDs of `table` some hard case names (the overlap number counts for users and person)."""
    tables = {table, "id_overlap"} if table in ("users", "person") else {table}
    return {i for case, ids in hard_cases.items() if CASE_TABLES.get(case) in tables for i in ids}


def current_links(tables: dict[str, pd.DataFrame], today: int) -> pd.Series:
    """For each STUDENTCONTACTASSOC row: has an active detail covering `today`."""
    detail, day = tables["studentcontactdetail"], iso_day(today)
    ok = (
        (detail.isactive == 1)
        & (detail.startdate.fillna("0000-00-00") <= day)
        & (detail.enddate.fillna("9999-99-99") >= day)
    )
    live = detail.studentcontactassocid[ok.fillna(False).to_numpy(dtype=bool)]
    return tables["studentcontactassoc"].studentcontactassocid.isin(live)


class Picker:
    """Random distinct rows of one table, from those `eligible`."""

    def __init__(self, rng: np.random.Generator, eligible: np.ndarray):
        self._order = rng.permutation(np.flatnonzero(eligible))
        self._free = np.ones(len(self._order), dtype=bool)

    def take(self, k: int, where: np.ndarray | None = None) -> np.ndarray:
        """Up to `k` row positions (fewer when the eligible ones run out)."""
        ok = self._free if where is None else self._free & where[self._order]
        chosen = np.flatnonzero(ok)[:k]
        self._free[chosen] = False
        return self._order[chosen]


def ordinary_students(ctx: Context, tables, hard_cases) -> np.ndarray:
    """Plainly synced students (active, in a school, a grade, complete) that no hard case
    touches, directly or through a planted contact."""
    students, assoc = tables["students"], tables["studentcontactassoc"]
    linked = assoc.studentdcid[assoc.personid.isin(planted(hard_cases, "person"))]
    ok = (
        (students.enroll_status == 0)
        & students.grade_level.between(-2, 12)
        & students.schoolid.isin(ctx.school_numbers)
        & (students.sched_yearofgraduation.fillna(0) != 0)
        & (students.last_name.fillna("") != "")
        & ~students.dcid.isin(planted(hard_cases, "students"))
        & ~students.student_number.isin(hard_cases["id_overlap"])
        & ~students.dcid.isin(linked)
    )
    return ok.fillna(False).to_numpy(dtype=bool)


def ordinary_parents(tables, hard_cases, live: pd.Series) -> np.ndarray:
    """Active parents, not planted, all of whose links are current."""
    persons, assoc = tables["person"], tables["studentcontactassoc"]
    stale = assoc.personid[~live.to_numpy()]
    ok = (
        (persons.isactive == 1)
        & persons.id.isin(assoc.personid)
        & ~persons.id.isin(tables["students"].person_id)
        & ~persons.id.isin(stale)
        & ~persons.id.isin(planted(hard_cases, "person"))
    )
    return ok.fillna(False).to_numpy(dtype=bool)


def ordinary_staff(tables, hard_cases) -> np.ndarray:
    users, staff = tables["users"], tables["schoolstaff"]
    active = staff.users_dcid[staff.status == 1]
    ok = users.dcid.isin(active) & ~users.dcid.isin(planted(hard_cases, "users"))
    return ok.to_numpy(dtype=bool)
