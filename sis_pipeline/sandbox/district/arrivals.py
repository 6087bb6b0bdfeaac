"""A week's arrivals: new families (students, parents, links, e-mails), new staff, and one new
student who joins a family already in the district, linked to its parents."""

from __future__ import annotations

import numpy as np
import pandas as pd

from . import codes
from .cohort import build_cohort
from .context import Context
from .dates import iso_day
from .enrolment import ACTIVE, random_grades
from .frames import concat_rows
from .ids import IdStarts
from .links import build_links
from .names import LATIN
from .persons import Parents, build_persons, person_ids
from .plant_students import set_enrolment
from .staff import plan_staff
from .students import build_students

_GENDER_OF_CODE = {code: letter for letter, code in codes.GENDER.items()}


def _enrol_today(rng, ctx: Context, students: pd.DataFrame, schools) -> None:
    rows = np.arange(len(students))
    set_enrolment(rng, ctx, students, rows, ACTIVE, random_grades(rng, len(rows)), schools)
    students["entrydate"] = pd.Series([iso_day(ctx.today_day)] * len(rows), dtype=object)


def _append(tables: dict[str, pd.DataFrame], new: dict[str, pd.DataFrame]) -> None:
    for name, frame in new.items():
        tables[name] = concat_rows(name, tables[name], frame)


def new_families(rng, ctx: Context, tables, n_students: int, n_staff: int) -> dict[str, list[int]]:
    n_parents = max(1, round(n_students * 0.69))
    plan = plan_staff(rng, ctx, n_staff)
    plan.active[:] = True
    cohort = build_cohort(rng, ctx, IdStarts.after(tables), n_students, n_parents, plan)
    new = cohort.tables
    schools = np.asarray(ctx.school_numbers)[rng.integers(0, len(ctx.school_numbers), n_students)]
    _enrol_today(rng, ctx, new["students"], schools)
    new["studentcontactdetail"]["startdate"] = pd.Series(
        [iso_day(ctx.today_day)] * len(new["studentcontactdetail"]), dtype=object
    )
    _append(tables, new)
    return {
        "arrived": [int(v) for v in new["students"].dcid],
        "arrived_parents": [int(v) for v in new["person"].id.iloc[n_students:]],
        "arrived_staff": [int(v) for v in new["users"].dcid],
    }


def sibling_arrival(rng, ctx: Context, tables, anchor_row: int) -> int:
    """A new student with the family name of the student at `anchor_row`, linked to the same
    parents; returns the new student's DCID."""
    students, assoc, persons = tables["students"], tables["studentcontactassoc"], tables["person"]
    anchor = students.iloc[anchor_row]
    starts = IdStarts.after(tables)
    ids, dcids = person_ids(rng, starts, 1)
    child, _ = build_students(
        rng,
        ctx,
        starts,
        np.zeros(1, np.int64),
        np.array([anchor.last_name], dtype=object),
        np.array([LATIN]),
        ids,
    )
    _enrol_today(rng, ctx, child, anchor.schoolid)
    child["family_ident"] = pd.array([anchor.family_ident], dtype="Int64")
    empty = np.empty(0, dtype=object)
    own = build_persons(rng, ids, dcids, child, Parents(empty, empty, empty, empty, empty, empty))
    links = assoc[(assoc.studentdcid == anchor.dcid) & ~assoc.personid.isin(students.person_id)]
    rows = np.searchsorted(
        persons.id.to_numpy(dtype=np.int64), links.personid.to_numpy(dtype=np.int64)
    )
    gender = persons.gendercodesetid.iloc[rows].map(_GENDER_OF_CODE).to_numpy(dtype=object)
    new_assoc, new_detail = build_links(
        rng,
        ctx,
        starts,
        np.full(len(links), int(child.dcid.iloc[0])),
        links.personid.to_numpy(dtype=np.int64),
        links.contactpriorityorder.to_numpy(dtype=np.int64),
        gender,
    )
    new_detail["startdate"] = pd.Series([iso_day(ctx.today_day)] * len(new_detail), dtype=object)
    _append(
        tables,
        {
            "students": child,
            "person": own,
            "studentcontactassoc": new_assoc,
            "studentcontactdetail": new_detail,
        },
    )
    return int(child.dcid.iloc[0])
