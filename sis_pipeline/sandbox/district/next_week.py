"""next_week: the same district seven days later.

A few students, parents and staff are renamed; new families and staff arrive, plus one new
student in a family already known; some students transfer out or graduate, some staff leave
(SCHOOLSTAFF status 2), some parents' contact links end; some students move up a grade; a
student who had left comes back. Hard cases stay where they were and stay true: the only
planted rows that change are the links whose dates are relative to today (they move with
it) and, when no ordinary leaver is left to come back, the second planted inactive student (who
then leaves the "inactive" list).
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from .arrivals import new_families, sibling_arrival
from .context import Context
from .dates import iso_day
from .generator import finish_tables
from .model import District
from .week_changes import (
    depart_staff,
    depart_students,
    end_contacts,
    promote_students,
    rename_parents,
    rename_staff,
    rename_students,
    return_students,
)
from .week_picks import (
    Picker,
    current_links,
    ordinary_parents,
    ordinary_staff,
    ordinary_students,
    planted,
)


def _few(n: int, share: float, least: int = 1) -> int:
    return max(least, round(n * share))


def _returning(tables, hard_cases) -> np.ndarray:
    """Row positions of leavers who may come back: ordinary ones, else a planted one other
    than the first (whose coming back would bring the out-of-scope parent into scope)."""
    students = tables["students"]
    left = (students.enroll_status == 2).to_numpy(dtype=bool)
    ordinary = left & ~students.dcid.isin(planted(hard_cases, "students")).to_numpy()
    if ordinary.any():
        return ordinary
    return left & students.dcid.isin(hard_cases["inactive"][1:]).to_numpy()


def _keep_dates_relative(ctx: Context, tables, hard_cases) -> None:
    """Planted link dates that are relative to today follow the new today."""
    detail, assoc = tables["studentcontactdetail"], tables["studentcontactassoc"]
    moves = [
        ("contact_ends_today", "enddate", 0),
        ("contact_starts_today", "startdate", 0),
        ("contact_future", "startdate", 14),
    ]
    for case, column, days in moves:
        links = assoc.studentcontactassocid[assoc.personid.isin(hard_cases[case])]
        detail.loc[detail.studentcontactassocid.isin(links), column] = iso_day(ctx.today_day + days)


def next_week(d: District, seed: int = 1) -> District:
    """`d` seven days on; the same for the same district and seed."""
    ctx = Context(d.today + dt.timedelta(days=7), d.school_numbers)
    tables = {name: frame.copy() for name, frame in d.tables.items()}
    rng = np.random.default_rng([d.seed, int(seed), d.today.toordinal(), len(tables["students"])])
    n_students, n_staff = len(tables["students"]), len(tables["users"])
    live = current_links(tables, ctx.today_day)
    students = Picker(rng, ordinary_students(ctx, tables, d.hard_cases))
    parents = Picker(rng, ordinary_parents(tables, d.hard_cases, live))
    staff = Picker(rng, ordinary_staff(tables, d.hard_cases))
    grade_12 = (tables["students"].grade_level == 12).to_numpy(dtype=bool)
    returning = Picker(rng, _returning(tables, d.hard_cases)).take(1)
    leaving = np.concatenate([students.take(1, grade_12), students.take(_few(n_students, 0.004))])
    anchor = students.take(1)
    changes = {
        "renamed": rename_students(rng, tables, students.take(_few(n_students, 0.002))),
        "promoted": promote_students(tables, students.take(_few(n_students, 0.002), ~grade_12)),
        "departed": depart_students(rng, ctx, tables, leaving),
        "returned": return_students(ctx, tables, returning),
        "renamed_parents": rename_parents(rng, tables, parents.take(_few(n_students, 0.001))),
        "departed_contacts": end_contacts(ctx, tables, parents.take(_few(n_students, 0.002))),
        "renamed_staff": rename_staff(rng, tables, staff.take(_few(n_staff, 0.01))),
        "departed_staff": depart_staff(tables, staff.take(_few(n_staff, 0.01))),
    }
    _keep_dates_relative(ctx, tables, d.hard_cases)
    changes |= new_families(rng, ctx, tables, _few(n_students, 0.005), _few(n_staff, 0.01))
    if len(anchor):
        changes["arrived_sibling"] = [sibling_arrival(rng, ctx, tables, int(anchor[0]))]
        changes["arrived"] = changes["arrived"] + changes["arrived_sibling"]
    hard_cases = {case: list(ids) for case, ids in d.hard_cases.items()}
    hard_cases["inactive"] = [i for i in hard_cases["inactive"] if i not in changes["returned"]]
    return District(
        finish_tables(tables), d.seed, ctx.today, d.school_numbers, hard_cases | changes
    )
