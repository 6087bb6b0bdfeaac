"""The catalogue of hard cases every generated district holds, whatever its size.

`District.hard_cases` maps each case to the IDs where it was planted; `CASE_TABLES` says which
IDs those are: students -> STUDENTS.DCID, person -> PERSON.ID, users -> USERS.DCID,
emailaddress -> EMAILADDRESS.EMAILADDRESSID, and for "id_overlap" the one number that is at
once a STUDENTS.STUDENT_NUMBER, a USERS.DCID and a PERSON.ID.

Roles are positions in the generator's batch order: the first students and parents form
the fixed families of `SCAFFOLD`; the other roles sit on the first random-family students.
"""

from __future__ import annotations

# (children, parents) of the fixed families, in order.
SCAFFOLD = ((2, 1), (2, 1), (1, 1), (1, 2), (1, 2), (1, 2), (1, 2))

STUDENT_ROLES: dict[str, tuple[int, ...]] = {
    "siblings": (0, 1),  # share parent 0 and one e-mail address
    "twins": (2, 3),  # same last name and birth date
    "inactive": (4, 13),  # enroll_status 2; 4 is the only child of parent 2
    "accents": (5,),
    "apostrophe": (6,),
    "hyphen": (7,),
    "non_latin": (8,),
    "stray_spaces": (9,),
    "nfd": (10,),
    "long_name": (11,),  # last name over 100 characters
    "name_100_after_normalising": (12,),
    "graduated": (14,),
    "pre_registered": (15,),
    "grade_minus_2": (5,),
    "grade_minus_1": (6,),
    "grade_0": (7,),
    "grade_12": (8,),
    "graduation_year_null": (16,),
    "graduation_year_zero": (17,),
    "last_name_null": (18,),
    "last_name_empty": (19,),
}
OVERLAP_STUDENT = 20
ACTIVE_ROLE_STUDENTS = tuple(i for i in range(OVERLAP_STUDENT + 1) if i not in (4, 13, 14, 15))

PARENT_ROLES: dict[str, tuple[int, ...]] = {
    "sibling_parent": (0,),
    "out_of_scope_parent": (2,),  # only contact of inactive student 4
    "same_name_parents": (3, 5),
    "contact_inactive": (4,),  # detail isactive 0
    "contact_ended": (6,),  # end date in the past
    "contact_ends_today": (7,),  # end date today (inclusive: still a contact)
    "contact_future": (8,),  # start date in the future
    "contact_starts_today": (9,),
    "parent_inactive": (10,),  # PERSON.ISACTIVE 0, with an active link
    "parent_non_latin": (1, 7),
    "parent_nfd": (9,),
    "parent_stray_spaces": (0,),
    "email_padded": (1,),
    "email_invalid": (7,),
    "email_two_primaries": (9,),
    "email_no_primary": (3,),
}
OVERLAP_PARENT = 1

STAFF_ROLES: dict[str, tuple[int, ...]] = {
    "staff_inactive": (0,),  # every SCHOOLSTAFF row status 2
    "staff_other_school": (1,),  # works only at a school other than the first
    "staff_apostrophe": (2,),
    "staff_nfd": (2,),
    "staff_non_latin": (3,),
    "staff_stray_spaces": (4,),
}
OVERLAP_STAFF = 5

MIN_STUDENTS = OVERLAP_STUDENT + 2  # the roles plus one random-family student
MIN_PARENTS = sum(p for _, p in SCAFFOLD) + 1
MIN_STAFF = OVERLAP_STAFF + 3  # the roles plus two ordinary staff

CASE_TABLES: dict[str, str] = {
    **{case: "students" for case in STUDENT_ROLES},
    **{case: "person" for case in PARENT_ROLES},
    "student_person_as_contact": "person",  # student 0's own PERSON row, a contact of student 1
    **{case: "users" for case in STAFF_ROLES},
    "sibling_shared_email": "emailaddress",
    "email_two_primaries_winner": "emailaddress",
    "email_no_primary_winner": "emailaddress",
    "id_overlap": "id_overlap",
}
