"""The STUDENTS rows of a batch of new students, in the batch's own order."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .context import Context
from .enrolment import enrolment, random_grades, random_statuses
from .frames import int_column, make_frame
from .ids import IdStarts, increasing_ids
from .names import pick_first_names, pick_genders, pick_middle_names

_ROOMS = np.array([f"{n}" for n in range(101, 131)] + [f"B{n}" for n in range(1, 13)], dtype=object)


def _text_numbers(numbers: np.ndarray) -> np.ndarray:
    return np.asarray(numbers, dtype=np.int64).astype(str).astype(object)


def build_students(
    rng: np.random.Generator,
    ctx: Context,
    starts: IdStarts,
    family: np.ndarray,
    family_last: np.ndarray,
    family_script: np.ndarray,
    person_ids: np.ndarray,
) -> tuple[pd.DataFrame, np.ndarray]:
    """One row per entry of `family` (each student's family index), names from the family;
    with the ASCII slugs of the first names. LastFirst is left for `finish_tables`."""
    n = len(family)
    order = rng.permutation(n)
    dcid = increasing_ids(rng, n, starts.student_dcid, (2, 3))[order]
    number = increasing_ids(rng, n, starts.student_number, (1, 3))[order]
    scripts = family_script[family]
    gender = pick_genders(rng, n)
    first, first_slug = pick_first_names(rng, scripts, gender)
    middle = pick_middle_names(rng, scripts, gender, share=0.45)
    last = family_last[family]
    state_numbers = increasing_ids(rng, n, 1_000_000_000, (1, 9_000))[rng.permutation(n)]
    sizes = np.bincount(family)
    family_ident = starts.family_ident + family
    status = random_statuses(rng, n)
    school = np.asarray(ctx.school_numbers)[rng.integers(0, len(ctx.school_numbers), n)]
    web_id = first_slug + "." + _text_numbers(number)
    web_id[rng.random(n) < 0.3] = None
    state_text = _text_numbers(state_numbers)
    state_text[rng.random(n) < 0.03] = None
    room = _ROOMS[rng.integers(0, len(_ROOMS), n)]
    room[rng.random(n) < 0.2] = None
    data = {
        "dcid": int_column(dcid),
        "id": int_column(increasing_ids(rng, n, starts.student_id, (1, 2))[order]),
        "student_number": int_column(number),
        "first_name": first,
        "middle_name": middle,
        "last_name": last,
        "gender": gender,
        "student_web_id": web_id,
        "state_studentnumber": state_text,
        "home_room": room,
        "person_id": int_column(person_ids),
        "family_ident": int_column(family_ident, missing=sizes[family] < 2),
        **enrolment(rng, ctx, status, random_grades(rng, n), school),
    }
    return make_frame("students", data, n), first_slug
