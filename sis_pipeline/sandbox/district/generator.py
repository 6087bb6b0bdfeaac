"""generate_district: a deterministic PowerSchool district of a given number of people."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from .cohort import build_cohort
from .context import GRADUATED_SCHOOL, Context
from .frames import last_first, set_text, sort_by_key
from .hard_cases import (
    MIN_STAFF,
    MIN_STUDENTS,
    PARENT_ROLES,
    SCAFFOLD,
    STAFF_ROLES,
    STUDENT_ROLES,
)
from .ids import IdStarts
from .model import District
from .overlap import plant_id_overlap
from .plant_contacts import plant_contacts
from .plant_emails import plant_emails
from .plant_staff import plant_staff_names, plant_staff_plan
from .plant_students import plant_students
from .schools import build_schools
from .staff import plan_staff

MIN_PEOPLE, MAX_PEOPLE = 50, 1_000_000
TABLE_ORDER = (
    "students",
    "users",
    "schoolstaff",
    "person",
    "studentcontactassoc",
    "studentcontactdetail",
    "emailaddress",
    "personemailaddressassoc",
    "schools",
)


def split_people(people: int) -> tuple[int, int, int]:
    """(students, staff, parents): about 55, 7 and 38 %, never fewer than the hard cases need."""
    students = max(MIN_STUDENTS, round(people * 0.55))
    staff = max(MIN_STAFF, round(people * 0.07))
    return students, staff, people - students - staff


def _check(people, seed, school_numbers) -> tuple[int, ...]:
    if isinstance(people, bool) or not isinstance(people, int | np.integer):
        raise ValueError("people must be an integer")
    if not MIN_PEOPLE <= people <= MAX_PEOPLE:
        raise ValueError(f"people must be between {MIN_PEOPLE} and {MAX_PEOPLE}, got {people}")
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
        raise ValueError("seed must be a non-negative integer")
    numbers = tuple(int(n) for n in school_numbers)
    if not numbers or len(set(numbers)) != len(numbers):
        raise ValueError("school_numbers must be one or more distinct numbers")
    if any(n <= 0 or n == GRADUATED_SCHOOL for n in numbers):
        raise ValueError(f"school numbers must be positive and not {GRADUATED_SCHOOL}")
    return numbers


def finish_tables(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Derived columns brought up to date, every table sorted by its key, in the usual order."""
    for name in ("students", "users"):
        frame = tables[name]
        set_text(
            frame, "lastfirst", last_first(frame.last_name, frame.first_name, frame.middle_name)
        )
    return {name: sort_by_key(name, tables[name]) for name in TABLE_ORDER}


def _copy_student_names(tables: dict[str, pd.DataFrame], n_students: int) -> None:
    students, persons = tables["students"], tables["person"]
    for source, target in (
        ("first_name", "firstname"),
        ("middle_name", "middlename"),
        ("last_name", "lastname"),
    ):
        values = persons[target].to_numpy(dtype=object, copy=True)
        values[:n_students] = students[source].to_numpy(dtype=object)
        set_text(persons, target, values)


def _case_ids(tables, n_students: int) -> dict[str, list[int]]:
    students, persons, users = tables["students"], tables["person"], tables["users"]

    def ids(column: pd.Series, rows) -> list[int]:
        return [int(v) for v in column.iloc[list(rows)]]

    cases = {case: ids(students.dcid, rows) for case, rows in STUDENT_ROLES.items()}
    cases |= {
        case: ids(persons.id, [n_students + r for r in rows]) for case, rows in PARENT_ROLES.items()
    }
    cases |= {case: ids(users.dcid, rows) for case, rows in STAFF_ROLES.items()}
    cases["student_person_as_contact"] = ids(students.person_id, [0])
    return cases


def generate_district(
    people: int,
    seed: int = 0,
    school_numbers: tuple[int, ...] = (100, 200),
    today: dt.date | None = None,
) -> District:
    """A district of `people` students, staff users and parent persons (55/7/38 %), the same
    for the same arguments. `today` defaults to the current UTC date; pass it to reproduce a
    district on another day, since contact start and end dates are set around it."""
    numbers = _check(people, seed, school_numbers)
    today = today or dt.datetime.now(dt.UTC).date()
    ctx = Context(today, numbers)
    rng = np.random.default_rng([int(seed), int(people)])
    n_students, n_staff, n_parents = split_people(int(people))
    plan = plan_staff(rng, ctx, n_staff)
    plant_staff_plan(ctx, plan)
    cohort = build_cohort(rng, ctx, IdStarts.new_district(), n_students, n_parents, plan, SCAFFOLD)
    tables = cohort.tables
    plant_students(rng, ctx, tables["students"])
    plant_contacts(ctx, tables, n_students)
    email_cases = plant_emails(rng, ctx, tables, n_students)
    plant_staff_names(tables["users"])
    _copy_student_names(tables, n_students)
    overlap = plant_id_overlap(rng, tables, n_students)
    cases = _case_ids(tables, n_students) | email_cases | {"id_overlap": [overlap]}
    tables["schools"] = build_schools(numbers)
    return District(finish_tables(tables), int(seed), today, numbers, cases)
