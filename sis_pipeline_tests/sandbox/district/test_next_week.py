"""next_week: deterministic, the advertised changes really happen, everyone else is left alone."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from sis_pipeline.sandbox.district import District, next_week

from .roster_rules import current_detail, rows

CHANGES = ["renamed", "arrived", "departed", "promoted", "returned"]
MORE_CHANGES = [
    "renamed_parents",
    "renamed_staff",
    "arrived_parents",
    "arrived_staff",
    "arrived_sibling",
    "departed_staff",
    "departed_contacts",
]


def by_key(frame: pd.DataFrame, key: str, ids) -> pd.DataFrame:
    return rows(frame, key, ids).set_index(key).sort_index()


def test_the_same_week_twice_is_identical(small: District, small_next_week: District):
    again = next_week(small, seed=11)
    for name, frame in small_next_week.tables.items():
        pd.testing.assert_frame_equal(frame, again.tables[name])
    assert again.hard_cases == small_next_week.hard_cases
    other = next_week(small, seed=12)
    assert any(other.hard_cases[c] != again.hard_cases[c] for c in CHANGES + MORE_CHANGES)


def test_a_week_passes_and_the_original_is_untouched(small: District, small_next_week: District):
    assert small_next_week.today == small.today + dt.timedelta(days=7)
    assert small_next_week.seed == small.seed
    assert small.today == dt.date(2026, 3, 2) and "renamed" not in small.hard_cases


@pytest.mark.parametrize("pair", [("small", "small_next_week"), ("larger", "larger_next_week")])
def test_every_kind_of_change_happens(request, pair):
    before, after = (request.getfixturevalue(name) for name in pair)
    for case in CHANGES + MORE_CHANGES:
        assert after.hard_cases[case], case
    b, a = before.tables, after.tables
    renamed = after.hard_cases["renamed"]
    old, new = by_key(b["students"], "dcid", renamed), by_key(a["students"], "dcid", renamed)
    assert ((old.first_name != new.first_name) | (old.last_name != new.last_name)).all()
    own = by_key(a["person"], "id", new.person_id)
    assert list(own.loc[new.person_id, "lastname"]) == list(new.last_name)

    arrived = after.hard_cases["arrived"]
    assert not set(arrived) & set(b["students"].dcid)
    assert (by_key(a["students"], "dcid", arrived).enroll_status == 0).all()
    assert set(arrived) <= set(a["studentcontactassoc"].studentdcid)
    sibling = after.hard_cases["arrived_sibling"]
    parents = a["studentcontactassoc"].personid[a["studentcontactassoc"].studentdcid.isin(sibling)]
    assert len(parents) and parents.isin(b["person"].id).all()

    gone = by_key(a["students"], "dcid", after.hard_cases["departed"])
    assert (gone.enroll_status.eq(2) | (gone.enroll_status.eq(3) & gone.schoolid.eq(999999))).all()
    assert (by_key(b["students"], "dcid", gone.index).enroll_status == 0).all()

    promoted = after.hard_cases["promoted"]
    old, new = by_key(b["students"], "dcid", promoted), by_key(a["students"], "dcid", promoted)
    assert (new.grade_level == old.grade_level + 1).all()
    assert (new.sched_yearofgraduation == old.sched_yearofgraduation - 1).all()

    back = after.hard_cases["returned"]
    assert (by_key(b["students"], "dcid", back).enroll_status == 2).all()
    assert (by_key(a["students"], "dcid", back).enroll_status == 0).all()


def test_staff_and_contacts_leave(larger: District, larger_next_week: District):
    b, a = larger.tables, larger_next_week.tables
    left = larger_next_week.hard_cases["departed_staff"]
    assert (rows(a["schoolstaff"], "users_dcid", left).status == 2).all()
    assert (rows(b["schoolstaff"], "users_dcid", left).status == 1).any()
    ended = larger_next_week.hard_cases["departed_contacts"]
    for tables, today, current in [(b, larger.today, True), (a, larger_next_week.today, False)]:
        links = rows(tables["studentcontactassoc"], "personid", ended).studentcontactassocid
        detail = rows(tables["studentcontactdetail"], "studentcontactassocid", links)
        assert (current_detail(detail, today) == current).all()


def assert_same(before: dict, after: dict, table: str, key: str, ids) -> None:
    ids = sorted(ids)
    assert ids
    pd.testing.assert_frame_equal(
        by_key(before[table], key, ids), by_key(after[table], key, ids), obj=table
    )


def test_nobody_else_changes(larger: District, larger_next_week: District):
    b, a, cases = larger.tables, larger_next_week.tables, larger_next_week.hard_cases
    touched = set().union(*(cases[c] for c in ["renamed", "departed", "promoted", "returned"]))
    assert_same(b, a, "students", "dcid", set(b["students"].dcid) - touched)
    own = set(rows(b["students"], "dcid", cases["renamed"]).person_id)
    assert_same(b, a, "person", "id", set(b["person"].id) - own - set(cases["renamed_parents"]))
    assert_same(b, a, "users", "dcid", set(b["users"].dcid) - set(cases["renamed_staff"]))
    staying = ~b["schoolstaff"].users_dcid.isin(cases["departed_staff"])
    assert_same(b, a, "schoolstaff", "dcid", b["schoolstaff"].dcid[staying])
    for name in ["studentcontactassoc", "emailaddress", "personemailaddressassoc"]:
        old = b[name]
        pd.testing.assert_frame_equal(old, a[name].iloc[: len(old)])
    relative = ["contact_ends_today", "contact_starts_today", "contact_future"]
    moved = cases["departed_contacts"] + [p for case in relative for p in cases[case]]
    assoc = b["studentcontactassoc"]
    links = assoc.studentcontactassocid[~assoc.personid.isin(moved)]
    detail = b["studentcontactdetail"]
    same = detail.studentcontactdetailid[detail.studentcontactassocid.isin(links)]
    assert_same(b, a, "studentcontactdetail", "studentcontactdetailid", same)
