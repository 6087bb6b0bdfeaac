"""Change an ID everywhere it is referenced, and plant the cross-table ID overlap: one number
that is at once a student number, a USERS.DCID and a PERSON.ID."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .hard_cases import OVERLAP_PARENT, OVERLAP_STAFF, OVERLAP_STUDENT

REFERENCES = {
    ("person", "id"): (
        ("students", "person_id"),
        ("studentcontactassoc", "personid"),
        ("personemailaddressassoc", "personid"),
    ),
    ("users", "dcid"): (("schoolstaff", "users_dcid"),),
    ("students", "dcid"): (("studentcontactassoc", "studentdcid"),),
}


def change_id(tables: dict[str, pd.DataFrame], table: str, column: str, old: int, new: int) -> None:
    for name, col in ((table, column), *REFERENCES.get((table, column), ())):
        frame = tables[name]
        frame.loc[frame[col] == old, col] = new


def plant_id_overlap(
    rng: np.random.Generator, tables: dict[str, pd.DataFrame], n_students: int
) -> int:
    """A number above every ID in the three columns, so it collides with nothing else."""
    students, users, persons = tables["students"], tables["users"], tables["person"]
    top = max(int(students.student_number.max()), int(users.dcid.max()), int(persons.id.max()))
    number = top + 1 + int(rng.integers(0, 50))
    students.loc[OVERLAP_STUDENT, "student_number"] = number
    change_id(tables, "users", "dcid", int(users.dcid.iloc[OVERLAP_STAFF]), number)
    change_id(tables, "person", "id", int(persons.id.iloc[n_students + OVERLAP_PARENT]), number)
    return number
