"""STUDENTCONTACTASSOC and STUDENTCONTACTDETAIL: every student linked to the parents of their
family, one detail row per link (active, no end date, start date often left empty)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from . import codes
from .context import Context
from .dates import iso_text
from .frames import int_column, make_frame
from .ids import IdStarts, increasing_ids


def _relationships(rng: np.random.Generator, gender: np.ndarray) -> np.ndarray:
    relation = np.where(gender == "F", codes.MOTHER, codes.FATHER)
    relation[~np.isin(gender, ["F", "M"])] = codes.GUARDIAN
    other = rng.random(len(gender))
    relation[other < 0.04] = codes.GUARDIAN
    relation[(other >= 0.04) & (other < 0.07)] = codes.STEP_PARENT
    relation[(other >= 0.07) & (other < 0.09)] = codes.GRANDPARENT
    return relation


def family_links(
    student_family: np.ndarray, parent_family: np.ndarray, parent_rank: np.ndarray, n_families: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(student index, parent index, priority) for every student x parent of the same family."""
    parent_of = np.full((n_families, 2), -1, dtype=np.int64)
    parent_of[parent_family, parent_rank - 1] = np.arange(len(parent_family))
    students, parents, priority = [], [], []
    for rank in (1, 2):
        chosen = parent_of[student_family, rank - 1]
        has = chosen >= 0
        students.append(np.flatnonzero(has))
        parents.append(chosen[has])
        priority.append(np.full(int(has.sum()), rank))
    return np.concatenate(students), np.concatenate(parents), np.concatenate(priority)


def build_links(
    rng: np.random.Generator,
    ctx: Context,
    starts: IdStarts,
    student_dcid: np.ndarray,
    person_id: np.ndarray,
    priority: np.ndarray,
    gender: np.ndarray,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One assoc + detail per (student DCID, person ID, priority, contact's gender)."""
    order = np.lexsort((priority, student_dcid))
    student_dcid, person_id = student_dcid[order], person_id[order]
    priority, gender = priority[order], np.asarray(gender, dtype=object)[order]
    n = len(order)
    assoc_id = increasing_ids(rng, n, starts.assoc_id, (1, 2))
    relation = _relationships(rng, gender)
    assoc = make_frame(
        "studentcontactassoc",
        {
            "studentcontactassocid": int_column(assoc_id),
            "studentdcid": int_column(student_dcid),
            "personid": int_column(person_id),
            "contactpriorityorder": int_column(priority),
            "currreltypecodesetid": int_column(relation),
        },
        n,
    )
    start = ctx.today_day - rng.integers(30, 2500, n)
    flags = rng.random((4, n))
    detail = make_frame(
        "studentcontactdetail",
        {
            "studentcontactdetailid": int_column(increasing_ids(rng, n, starts.detail_id, (1, 2))),
            "studentcontactassocid": int_column(assoc_id),
            "relationshiptypecodesetid": int_column(relation),
            "isactive": int_column(np.ones(n, np.int64)),
            "iscustodial": int_column(flags[0] < 0.93),
            "isemergency": int_column(flags[1] < 0.8),
            "liveswithflg": int_column(flags[2] < 0.85),
            "schoolpickupflg": int_column(flags[3] < 0.9),
            "receivesmailflg": int_column(flags[2] < 0.95),
            "startdate": iso_text(start, missing=rng.random(n) < 0.7),
            "excludefromstatereportingflg": int_column(np.zeros(n, np.int64)),
            "generalcommflag": int_column(np.ones(n, np.int64)),
            "confidentialcommflag": int_column(flags[0] < 0.93),
        },
        n,
    )
    return assoc, detail
