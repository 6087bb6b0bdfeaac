"""generate_district: determinism, sizes, argument checks, the table contract, integrity and
plausible values."""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd
import pytest

from sis_pipeline.sandbox.district import District, generate_district
from sis_pipeline.sandbox.powerschool_schema import TABLES
from sis_pipeline_tests.sandbox.district.district_dates import TODAY

DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
REFERENCES = [
    ("studentcontactassoc", "studentdcid", "students", "dcid"),
    ("studentcontactassoc", "personid", "person", "id"),
    (
        "studentcontactdetail",
        "studentcontactassocid",
        "studentcontactassoc",
        "studentcontactassocid",
    ),
    ("students", "person_id", "person", "id"),
    ("schoolstaff", "users_dcid", "users", "dcid"),
    ("personemailaddressassoc", "personid", "person", "id"),
    ("personemailaddressassoc", "emailaddressid", "emailaddress", "emailaddressid"),
    ("students", "schoolid", "schools", "school_number"),
]


def test_same_arguments_give_identical_districts():
    first = generate_district(300, seed=4, today=TODAY)
    again = generate_district(300, seed=4, today=TODAY)
    for name, frame in first.tables.items():
        pd.testing.assert_frame_equal(frame, again.tables[name])
    assert first.hard_cases == again.hard_cases


def test_another_seed_gives_another_district():
    one = generate_district(300, seed=4, today=TODAY).tables["students"]
    other = generate_district(300, seed=5, today=TODAY).tables["students"]
    assert not one.equals(other)
    assert list(one.first_name) != list(other.first_name)


@pytest.mark.parametrize("people", [50, 51, 137, 5_000])
def test_size_is_the_number_of_people(people: int):
    d = generate_district(people, today=TODAY)
    assert d.people == people
    parents = people - len(d.tables["students"]) - len(d.tables["users"])
    assert parents > 0
    if people >= 5_000:
        assert len(d.tables["students"]) == pytest.approx(0.55 * people, rel=0.02)
        assert len(d.tables["users"]) == pytest.approx(0.07 * people, rel=0.02)


@pytest.mark.parametrize(
    "arguments",
    [
        {"people": 49},
        {"people": 1_000_001},
        {"people": 0},
        {"people": True},
        {"people": 50.0},
        {"people": 100, "seed": -1},
        {"people": 100, "school_numbers": ()},
        {"people": 100, "school_numbers": (100, 100)},
        {"people": 100, "school_numbers": (999999,)},
    ],
)
def test_bad_arguments_are_refused(arguments: dict):
    with pytest.raises(ValueError):
        generate_district(**arguments)


def test_today_defaults_to_the_utc_date():
    before = dt.datetime.now(dt.UTC).date()
    d = generate_district(50)
    assert d.today in {before, dt.datetime.now(dt.UTC).date()}


def test_tables_follow_the_schema(larger: District):
    assert set(larger.tables) == set(TABLES)
    for name, frame in larger.tables.items():
        schema = TABLES[name]
        assert list(frame.columns) == list(schema.columns), name
        assert frame[schema.primary_key].is_monotonic_increasing, name
        assert frame[schema.primary_key].is_unique, name
        assert isinstance(frame.index, pd.RangeIndex)
        for column, (_, kind) in schema.columns.items():
            values = frame[column]
            if kind == "number":
                assert values.dtype == "Int64", (name, column)
                continue
            assert values.dtype == object, (name, column)
            present = values.dropna()
            assert all(isinstance(v, str) for v in present), (name, column)
            assert values.isna().sum() == sum(v is None for v in values), (name, column)
            if kind == "date":
                assert present.map(lambda v: bool(DATE.match(v))).all(), (name, column)


@pytest.mark.parametrize("district_name", ["small", "larger", "larger_next_week"])
@pytest.mark.parametrize(("table", "column", "target", "key"), REFERENCES)
def test_references_resolve(request, district_name, table, column, target, key):
    t = request.getfixturevalue(district_name).tables
    assert t[table][column].dropna().isin(t[target][key]).all()


def test_every_student_has_an_own_person_and_every_link_one_detail(larger: District):
    t = larger.tables
    assert t["students"].person_id.notna().all() and t["students"].person_id.is_unique
    assert t["studentcontactdetail"].studentcontactassocid.is_unique
    assert len(t["studentcontactdetail"]) == len(t["studentcontactassoc"])
    assert set(t["schools"].school_number) == {*larger.school_numbers, 999999}


def test_values_look_like_a_district(larger: District):
    s = larger.tables["students"]
    assert (s.dcid != s.id).all() and s.student_number.is_unique
    assert set(s.gender) == {"M", "F", "X", "U"}
    assert s.gender.isin(["M", "F"]).mean() > 0.95
    assert (s.enroll_status == 0).mean() > 0.85
    assert set(s.grade_level) == set(range(-2, 13)) | {99}
    active = s[(s.enroll_status == 0) & s.sched_yearofgraduation.fillna(0).ne(0)]
    year_end = TODAY.year + (TODAY.month >= 7)
    assert (active.sched_yearofgraduation == year_end + 12 - active.grade_level).all()
    assert (active.classof == year_end + 12 - active.grade_level).all()
    age = TODAY.year - s.dob.str[:4].astype(int)
    twelfth = age[s.grade_level == 12]
    assert twelfth.between(16, 20).all()
    assert s.family_ident.notna().mean() > 0.5
    assoc = larger.tables["studentcontactassoc"]
    assert assoc.studentdcid.isin(s.dcid).all() and s.dcid.isin(assoc.studentdcid).mean() > 0.99
    staff = larger.tables["schoolstaff"]
    assert staff.users_dcid.value_counts().max() <= 2 and (staff.status == 1).mean() > 0.9
    assert larger.tables["users"].homeschoolid.isin(larger.school_numbers).mean() > 0.99
