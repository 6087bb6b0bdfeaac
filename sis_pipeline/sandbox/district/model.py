"""A generated district: its PowerSchool tables and where the hard cases sit."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd


@dataclass(frozen=True)
class District:
    tables: dict[str, pd.DataFrame] = field(repr=False)
    seed: int
    today: dt.date
    school_numbers: tuple[int, ...]
    hard_cases: dict[str, list[int]] = field(repr=False)

    @property
    def people(self) -> int:
        """Students + staff users + PERSON rows that are not a student's own."""
        students, persons = self.tables["students"], self.tables["person"]
        own = persons.id.isin(students.person_id).sum()
        return len(students) + len(self.tables["users"]) + len(persons) - int(own)

    def rows(self) -> dict[str, int]:
        return {name: len(frame) for name, frame in self.tables.items()}
