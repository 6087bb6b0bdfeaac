"""Which PowerSchool tables and columns the sync reads, given a school's settings.

This one plan drives the extraction's projections and the plugin.xml grants, so the plugin
asks for exactly what the sync reads: birth dates, genders and e-mails only when the school
syncs them, contact tables only when parents are synced.
"""

from __future__ import annotations

from sis_pipeline.config.models import SchoolSettings

# The tables the sync reads, each with its primary key (the record `id` of the API's
# answers). Only the table names are used: the extraction pages by page number.
PRIMARY_KEYS: dict[str, str] = {
    "students": "dcid",
    "users": "dcid",
    "schoolstaff": "dcid",
    "person": "id",
    "studentcontactassoc": "studentcontactassocid",
    "studentcontactdetail": "studentcontactdetailid",
    "emailaddress": "emailaddressid",
    "personemailaddressassoc": "personemailaddressassocid",
}

ALL_TABLES = tuple(PRIMARY_KEYS)


# Every column the sync may read, per table, in projection order. The SQL reads these
# (a column outside a school's plan reads as NULL); the plan picks what a school needs.
READABLE_COLUMNS: dict[str, tuple[str, ...]] = {
    "students": (
        "dcid",
        "student_number",
        "first_name",
        "last_name",
        "grade_level",
        "sched_yearofgraduation",
        "enroll_status",
        "schoolid",
        "person_id",
        "dob",
        "gender",
    ),
    "users": ("dcid", "first_name", "last_name", "email_addr"),
    "schoolstaff": ("dcid", "users_dcid", "schoolid", "status"),
    "person": ("id", "firstname", "lastname", "isactive"),
    "studentcontactassoc": ("studentcontactassocid", "studentdcid", "personid"),
    "studentcontactdetail": (
        "studentcontactdetailid",
        "studentcontactassocid",
        "isactive",
        "startdate",
        "enddate",
    ),
    "emailaddress": ("emailaddressid", "emailaddress"),
    "personemailaddressassoc": (
        "personemailaddressassocid",
        "personid",
        "emailaddressid",
        "isprimaryemailaddress",
        "emailaddresspriorityorder",
    ),
}

# Personal columns read only when the school syncs the field they feed.
OPTIONAL_COLUMNS: dict[tuple[str, str], str] = {
    ("students", "dob"): "date_of_birth",
    ("students", "gender"): "gender",
    ("users", "email_addr"): "email",
}


def extraction_plan(school: SchoolSettings) -> dict[str, list[str]]:
    """Table -> lower-case columns to project, in a stable order."""
    tables = ["students"]
    if "teacher" in school.member_types:
        tables += ["users", "schoolstaff"]
    if "parent" in school.member_types:
        tables += ["person", "studentcontactassoc", "studentcontactdetail"]
    if school.syncs_email and ({"student", "parent"} & set(school.member_types)):
        tables += ["emailaddress", "personemailaddressassoc"]
    return {
        table: [
            column
            for column in READABLE_COLUMNS[table]
            if OPTIONAL_COLUMNS.get((table, column), "always")
            in ("always", *school.optional_fields)
        ]
        for table in tables
    }
