"""What every part of the generator needs to know: today, the school year, the schools."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .dates import day_number

GRADUATED_SCHOOL = 999999
GRADUATED_GRADE = 99


@dataclass(frozen=True)
class Context:
    today: dt.date
    school_numbers: tuple[int, ...]

    @property
    def today_day(self) -> int:
        return day_number(self.today)

    @property
    def start_year(self) -> int:
        """Calendar year in which the current school year began (years turn on 1 July)."""
        return self.today.year if self.today.month >= 7 else self.today.year - 1

    @property
    def end_year(self) -> int:
        return self.start_year + 1

    @property
    def main_school(self) -> int:
        return self.school_numbers[0]

    @property
    def other_school(self) -> int:
        """A school number other than the first: the last one given, else the district office."""
        return self.school_numbers[-1] if len(self.school_numbers) > 1 else 0
