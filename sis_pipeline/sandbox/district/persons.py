"""PERSON rows: parents and guardians, and (since PowerSchool 12) each student's own row."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import codes
from .frames import int_column, make_frame
from .ids import IdStarts, increasing_ids
from .name_pools import EMPLOYERS
from .names import pick_first_names, pick_last_names, pick_middle_names


def person_ids(rng: np.random.Generator, starts: IdStarts, n: int) -> tuple[np.ndarray, np.ndarray]:
    """(id, dcid) for `n` new persons, handed out in random order."""
    order = rng.permutation(n)
    ids = increasing_ids(rng, n, starts.person_id, (1, 2))[order]
    return ids, increasing_ids(rng, n, starts.person_dcid, (1, 2))[order]


@dataclass(frozen=True)
class Parents:
    """Names of a batch of parents, with the ASCII slugs their e-mails are made of."""

    first: np.ndarray
    middle: np.ndarray
    last: np.ndarray
    gender: np.ndarray
    first_slug: np.ndarray
    last_slug: np.ndarray


def pick_parents(
    rng: np.random.Generator,
    family: np.ndarray,
    rank: np.ndarray,
    family_last: np.ndarray,
    family_last_slug: np.ndarray,
    family_script: np.ndarray,
) -> Parents:
    """First parents mostly mothers, second parents mostly of the other gender; a second
    parent keeps a last name of their own three times in ten."""
    n = len(family)
    first_parent = rank == 1
    gender = np.where(rng.random(n) < 0.7, "F", "M").astype(object)
    gender_of_first = np.empty(int(family.max(initial=-1)) + 1, dtype=object)
    gender_of_first[family[first_parent]] = gender[first_parent]
    opposite = np.where(gender_of_first[family] == "F", "M", "F").astype(object)
    second = ~first_parent
    gender[second] = np.where(rng.random(n) < 0.9, opposite, gender)[second]
    scripts = family_script[family]
    first, first_slug = pick_first_names(rng, scripts, gender)
    own_last, own_slug = pick_last_names(rng, scripts)
    keeps_own = second & (rng.random(n) < 0.3)
    last = np.where(keeps_own, own_last, family_last[family])
    last_slug = np.where(keeps_own, own_slug, family_last_slug[family])
    middle = pick_middle_names(rng, scripts, gender, share=0.25)
    return Parents(first, middle, last, gender, first_slug, last_slug)


def _gender_codes(gender: np.ndarray) -> pd.arrays.IntegerArray:
    values = pd.Series(gender, dtype=object).map(codes.GENDER)
    return pd.array(values.to_numpy(dtype="float64", na_value=np.nan), dtype="Int64")


def build_persons(
    rng: np.random.Generator,
    ids: np.ndarray,
    dcids: np.ndarray,
    students: pd.DataFrame,
    parents: Parents,
) -> pd.DataFrame:
    """Students' own rows first (same names as STUDENTS), then the parents."""
    n_students, n_parents = len(students), len(parents.first)
    n = n_students + n_parents
    prefix = np.asarray(codes.PREFIX)[rng.integers(0, len(codes.PREFIX), n_parents)]
    suffix = np.asarray(codes.SUFFIX)[rng.integers(0, len(codes.SUFFIX), n_parents)]
    employer = np.asarray(EMPLOYERS, dtype=object)[rng.integers(0, len(EMPLOYERS), n_parents)]
    employer[rng.random(n_parents) >= 0.4] = None
    no_prefix = np.concatenate([np.ones(n_students, bool), rng.random(n_parents) >= 0.3])
    no_suffix = np.concatenate([np.ones(n_students, bool), rng.random(n_parents) >= 0.02])
    active = np.concatenate([np.ones(n_students, np.int64), (rng.random(n_parents) >= 0.005)])

    def both(column: str, values: np.ndarray) -> np.ndarray:
        return np.concatenate([students[column].to_numpy(dtype=object), values])

    data = {
        "id": int_column(ids),
        "dcid": int_column(dcids),
        "firstname": both("first_name", parents.first),
        "middlename": both("middle_name", parents.middle),
        "lastname": both("last_name", parents.last),
        "isactive": int_column(active),
        "gendercodesetid": _gender_codes(both("gender", parents.gender)),
        "prefixcodesetid": int_column(np.concatenate([np.zeros(n_students), prefix]), no_prefix),
        "suffixcodesetid": int_column(np.concatenate([np.zeros(n_students), suffix]), no_suffix),
        "employer": np.concatenate([np.full(n_students, None, dtype=object), employer]),
        "excludefromstatereporting": int_column(np.zeros(n, np.int64)),
    }
    return make_frame("person", data, n)
