"""CodeSet IDs the contact and e-mail tables point at (relationship, e-mail type, gender...).

PowerSchool numbers CodeSet rows per installation; these are this district's numbers.
"""

from __future__ import annotations

GENDER = {"M": 1021, "F": 1022, "X": 1023}
PREFIX = (1101, 1102, 1103, 1104)  # Mr, Mrs, Ms, Dr
SUFFIX = (1201, 1202, 1203)  # Jr, Sr, III
MOTHER, FATHER, GUARDIAN, GRANDPARENT, SIBLING, STEP_PARENT = 2001, 2002, 2003, 2004, 2005, 2006
PERSONAL_EMAIL, WORK_EMAIL, SCHOOL_EMAIL = 3001, 3002, 3003
STAFF_TEACHER, STAFF_OTHER, STAFF_SUBSTITUTE = 1, 2, 4
ACTIVE_STAFF, INACTIVE_STAFF = 1, 2
