"""Hard cases in enrolment, staff, IDs, contacts and e-mails, checked on the data itself and
against the sync's rules for who is a parent."""

from __future__ import annotations

import pandas as pd
import pytest

from sis_pipeline.sandbox.district import District

from .roster_rules import current_detail, primary_email, rows, synced_parents


def students(d: District, case: str) -> pd.DataFrame:
    found = rows(d.tables["students"], "dcid", d.hard_cases[case])
    assert len(found) == len(d.hard_cases[case]) > 0, case
    return found


def test_enrolment_states(district: District):
    assert (students(district, "inactive").enroll_status == 2).all()
    graduated = students(district, "graduated")
    assert list(graduated[["schoolid", "grade_level", "enroll_status"]].iloc[0]) == [999999, 99, 3]
    assert (students(district, "pre_registered").enroll_status == -1).all()


@pytest.mark.parametrize(
    ("case", "grade"),
    [("grade_minus_2", -2), ("grade_minus_1", -1), ("grade_0", 0), ("grade_12", 12)],
)
def test_edge_grades_are_active_in_the_first_school(district: District, case: str, grade: int):
    found = students(district, case)
    assert list(found.grade_level) == [grade]
    assert list(found.enroll_status) == [0]
    assert list(found.schoolid) == [district.school_numbers[0]]


def test_missing_graduation_years(district: District):
    assert students(district, "graduation_year_null").sched_yearofgraduation.isna().all()
    assert (students(district, "graduation_year_zero").sched_yearofgraduation == 0).all()


def test_twins_and_siblings(district: District):
    twins = students(district, "twins")
    assert len(twins) == 2 and twins.last_name.nunique() == 1 and twins.dob.nunique() == 1
    siblings = students(district, "siblings")
    assert len(siblings) == 2 and siblings.dob.nunique() == 2
    assoc = district.tables["studentcontactassoc"]
    [parent] = district.hard_cases["sibling_parent"]
    assert set(assoc.studentdcid[assoc.personid == parent]) == set(siblings.dcid)
    links = district.tables["personemailaddressassoc"]
    [shared] = district.hard_cases["sibling_shared_email"]
    sharing = set(links.personid[links.emailaddressid == shared])
    assert set(siblings.person_id) | {parent} <= sharing


def test_one_number_is_student_number_users_dcid_and_person_id(district: District):
    [number] = district.hard_cases["id_overlap"]
    t = district.tables
    assert number in set(t["students"].student_number)
    assert number in set(t["users"].dcid)
    assert number in set(t["person"].id)


def test_staff_cases(district: District):
    staff = district.tables["schoolstaff"]
    [inactive] = district.hard_cases["staff_inactive"]
    assert (staff.status[staff.users_dcid == inactive] == 2).all()
    [elsewhere] = district.hard_cases["staff_other_school"]
    theirs = staff[staff.users_dcid == elsewhere]
    assert district.school_numbers[0] not in set(theirs.schoolid)
    assert (theirs.status == 1).any()


def test_who_is_a_parent(district: District):
    """Planted parents land on the right side of the sync's parent rule."""
    parents = synced_parents(district.tables, district.today)
    cases = district.hard_cases
    synced = ["sibling_parent", "same_name_parents", "contact_ends_today", "contact_starts_today"]
    for case in synced + ["parent_non_latin", "email_two_primaries", "email_no_primary"]:
        assert set(cases[case]) <= parents, case
    never = ["out_of_scope_parent", "contact_inactive", "contact_ended", "contact_future"]
    for case in never + ["parent_inactive", "student_person_as_contact"]:
        assert not set(cases[case]) & parents, case


def test_contact_link_states(district: District):
    t, today = district.tables, district.today.isoformat()
    assoc, detail = t["studentcontactassoc"], t["studentcontactdetail"]

    def details(case: str) -> pd.DataFrame:
        links = assoc.studentcontactassocid[assoc.personid.isin(district.hard_cases[case])]
        found = detail[detail.studentcontactassocid.isin(links)]
        assert len(found) > 0, case
        return found

    assert (details("contact_inactive").isactive == 0).all()
    assert (details("contact_ended").enddate < today).all()
    assert (details("contact_ends_today").enddate == today).all()
    assert (details("contact_future").startdate > today).all()
    assert (details("contact_starts_today").startdate == today).all()
    persons = t["person"]
    assert (rows(persons, "id", district.hard_cases["parent_inactive"]).isactive == 0).all()
    assert current_detail(details("parent_inactive"), district.today).all()


def test_out_of_scope_parent_has_only_inactive_children(district: District):
    assoc, s = district.tables["studentcontactassoc"], district.tables["students"]
    children = assoc.studentdcid[assoc.personid.isin(district.hard_cases["out_of_scope_parent"])]
    assert len(children) and (rows(s, "dcid", children).enroll_status != 0).all()


def test_a_students_own_person_is_a_current_contact(district: District):
    [person] = district.hard_cases["student_person_as_contact"]
    t = district.tables
    assert person in set(t["students"].person_id)
    assoc = t["studentcontactassoc"]
    links = assoc.studentcontactassocid[assoc.personid == person]
    detail = t["studentcontactdetail"]
    assert current_detail(detail[detail.studentcontactassocid.isin(links)], district.today).all()


def test_email_cases(district: District):
    t, cases = district.tables, district.hard_cases
    address = t["emailaddress"].set_index("emailaddressid").emailaddress
    links = t["personemailaddressassoc"]

    def addresses_of(case: str) -> list[str]:
        return list(address.loc[links.emailaddressid[links.personid.isin(cases[case])]])

    assert all(a != a.strip() for a in addresses_of("email_padded"))
    assert all("@" not in a for a in addresses_of("email_invalid"))
    [two] = cases["email_two_primaries"]
    assert (links.isprimaryemailaddress[links.personid == two] == 1).sum() >= 2
    assert primary_email(t, two) == cases["email_two_primaries_winner"][0]
    [none] = cases["email_no_primary"]
    assert (links.isprimaryemailaddress[links.personid == none] == 0).all()
    assert primary_email(t, none) == cases["email_no_primary_winner"][0]
