"""USERS and SCHOOLSTAFF: one USERS row per staff member, a SCHOOLSTAFF row per school they
work at (home school first; some also work at a second school)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import codes
from .context import Context
from .emails import STAFF_DOMAIN
from .frames import int_column, make_frame
from .ids import IdStarts, increasing_ids
from .name_pools import STAFF_TITLES
from .names import pick_first_names, pick_genders, pick_last_names, pick_middle_names, pick_scripts


@dataclass
class StaffPlan:
    """Where each staff member works: home school, a second school (-1: none), and whether
    their SCHOOLSTAFF rows are active. Hard cases edit the plan before the rows are built."""

    home_school: np.ndarray
    second_school: np.ndarray
    active: np.ndarray


def plan_staff(rng: np.random.Generator, ctx: Context, n: int) -> StaffPlan:
    schools = np.asarray(ctx.school_numbers, dtype=np.int64)
    home_index = rng.integers(0, len(schools), n)
    second_index = (home_index + rng.integers(1, max(len(schools), 2), n)) % len(schools)
    has_second = (rng.random(n) < 0.12) & (second_index != home_index)
    second = np.where(has_second, schools[second_index], -1)
    return StaffPlan(schools[home_index], second, rng.random(n) >= 0.03)


def _unique_logins(base: np.ndarray) -> np.ndarray:
    """Append 2, 3, ... to repeats, as districts do for a second John Smith."""
    repeat = pd.Series(base, dtype=object).groupby(base, sort=False).cumcount().to_numpy()
    suffix = np.where(repeat > 0, (repeat + 1).astype(str), "").astype(object)
    return base + suffix


def build_staff(
    rng: np.random.Generator, starts: IdStarts, plan: StaffPlan
) -> tuple[pd.DataFrame, pd.DataFrame]:
    n = len(plan.home_school)
    order = rng.permutation(n)
    dcid = increasing_ids(rng, n, starts.users_dcid, (1, 4))[order]
    scripts, gender = pick_scripts(rng, n), pick_genders(rng, n)
    first, first_slug = pick_first_names(rng, scripts, gender)
    last, last_slug = pick_last_names(rng, scripts)
    titles = np.array([t for t, _ in STAFF_TITLES], dtype=object)
    weights = np.array([w for _, w in STAFF_TITLES])
    title = titles[rng.choice(len(titles), n, p=weights / weights.sum())]
    teacher = title == "Teacher"
    initial = pd.Series(first_slug, dtype=object).str[:1].to_numpy(dtype=object)
    login = _unique_logins(initial + last_slug)
    email = _unique_logins(first_slug + "." + last_slug) + "@" + STAFF_DOMAIN
    email[rng.random(n) < 0.03] = None
    preferred = first.copy()
    preferred[rng.random(n) >= 0.05] = None
    numbers = increasing_ids(rng, n, starts.teacher_number, (1, 3))[order]
    users = make_frame(
        "users",
        {
            "dcid": int_column(dcid),
            "first_name": first,
            "middle_name": pick_middle_names(rng, scripts, gender, share=0.3),
            "last_name": last,
            "email_addr": email,
            "teachernumber": numbers.astype(str).astype(object),
            "homeschoolid": int_column(plan.home_school),
            "loginid": login,
            "teacherloginid": np.where(teacher, login, None),
            "psaccess": int_column(~teacher | (rng.random(n) < 0.1)),
            "ptaccess": int_column(teacher),
            "title": title,
            "preferredname": preferred,
        },
        n,
    )
    return users, _schoolstaff_rows(rng, starts, plan, dcid, teacher)


def _schoolstaff_rows(rng, starts: IdStarts, plan: StaffPlan, dcid, teacher) -> pd.DataFrame:
    second = plan.second_school >= 0
    user = np.concatenate([np.arange(len(dcid)), np.flatnonzero(second)])
    school = np.concatenate([plan.home_school, plan.second_school[second]])
    user_order = np.lexsort((np.arange(len(user)), dcid[user]))
    user, school = user[user_order], school[user_order]
    n = len(user)
    staff_type = np.where(teacher[user], codes.STAFF_TEACHER, codes.STAFF_OTHER)
    staff_type[rng.random(n) < 0.02] = codes.STAFF_SUBSTITUTE
    status = np.where(plan.active[user], codes.ACTIVE_STAFF, codes.INACTIVE_STAFF)
    return make_frame(
        "schoolstaff",
        {
            "dcid": int_column(increasing_ids(rng, n, starts.staff_dcid, (1, 2))),
            "id": int_column(increasing_ids(rng, n, starts.staff_id, (1, 3))),
            "users_dcid": int_column(dcid[user]),
            "schoolid": int_column(school),
            "status": int_column(status),
            "staffstatus": int_column(staff_type),
        },
        n,
    )
