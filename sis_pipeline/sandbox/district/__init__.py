"""Realistic PowerSchool districts for tests, demos and benchmarks, generated vectorised.

d = generate_district(5_000, seed=1)      # d.tables["students"], d.hard_cases["nfd"], ...
later = next_week(d)                      # renames, arrivals, departures, a week on
"""

from .generator import generate_district
from .hard_cases import CASE_TABLES
from .model import District
from .next_week import next_week

__all__ = ["CASE_TABLES", "District", "generate_district", "next_week"]
