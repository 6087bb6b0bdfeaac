"""Plant the staff hard cases: on the plan before the rows are built, then on the names."""

from __future__ import annotations

import numpy as np
import pandas as pd

from . import hard_names
from .context import Context
from .hard_cases import OVERLAP_STAFF, STAFF_ROLES
from .staff import StaffPlan


def plant_staff_plan(ctx: Context, plan: StaffPlan) -> None:
    roles = np.arange(OVERLAP_STAFF + 1)
    plan.home_school[roles] = ctx.main_school
    plan.active[roles] = True
    plan.second_school[roles] = -1
    plan.active[STAFF_ROLES["staff_inactive"][0]] = False
    plan.home_school[STAFF_ROLES["staff_other_school"][0]] = ctx.other_school


def plant_staff_names(users: pd.DataFrame) -> None:
    role = STAFF_ROLES
    users.loc[role["staff_apostrophe"][0], "last_name"] = hard_names.STAFF_APOSTROPHE_LAST
    users.loc[role["staff_nfd"][0], "first_name"] = hard_names.STAFF_NFD_FIRST
    columns = ["first_name", "last_name"]
    users.loc[role["staff_non_latin"][0], columns] = list(hard_names.STAFF_NON_LATIN)
    users.loc[role["staff_stray_spaces"][0], columns] = list(hard_names.STAFF_STRAY_SPACES)
