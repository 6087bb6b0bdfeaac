"""ID sequences: increasing with small gaps, as records deleted over the years leave them."""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np
import pandas as pd


def increasing_ids(
    rng: np.random.Generator, n: int, start: int, gaps: tuple[int, int]
) -> np.ndarray:
    """`n` increasing IDs from `start`, consecutive ones `gaps[0]..gaps[1]` apart."""
    steps = rng.integers(gaps[0], gaps[1] + 1, n)
    if n:
        steps[0] = 0
    return start + np.cumsum(steps, dtype=np.int64)


# (table, column) each sequence continues; the first value used by a new district.
_SEQUENCES = {
    "student_dcid": ("students", "dcid", 5_001),
    "student_id": ("students", "id", 1_001),
    "student_number": ("students", "student_number", 100_001),
    "family_ident": ("students", "family_ident", 1),
    "person_id": ("person", "id", 1),
    "person_dcid": ("person", "dcid", 1),
    "users_dcid": ("users", "dcid", 1),
    "staff_dcid": ("schoolstaff", "dcid", 1),
    "staff_id": ("schoolstaff", "id", 1),
    "teacher_number": ("users", "teachernumber", 10_001),
    "assoc_id": ("studentcontactassoc", "studentcontactassocid", 1),
    "detail_id": ("studentcontactdetail", "studentcontactdetailid", 1),
    "email_id": ("emailaddress", "emailaddressid", 1),
    "email_assoc_id": ("personemailaddressassoc", "personemailaddressassocid", 1),
}


@dataclass(frozen=True)
class IdStarts:
    """Where each ID sequence of a batch of new rows begins."""

    student_dcid: int
    student_id: int
    student_number: int
    family_ident: int
    person_id: int
    person_dcid: int
    users_dcid: int
    staff_dcid: int
    staff_id: int
    teacher_number: int
    assoc_id: int
    detail_id: int
    email_id: int
    email_assoc_id: int

    @classmethod
    def new_district(cls) -> IdStarts:
        return cls(**{name: first for name, (_, _, first) in _SEQUENCES.items()})

    @classmethod
    def after(cls, tables: dict[str, pd.DataFrame]) -> IdStarts:
        """Starts past every ID already in `tables`."""
        starts = {}
        for field in fields(cls):
            table, column, first = _SEQUENCES[field.name]
            values = pd.to_numeric(tables[table][column], errors="coerce").max()
            starts[field.name] = first if pd.isna(values) else max(first, int(values) + 1)
        return cls(**starts)
