"""Which PowerSchool tables and columns the sync reads, given a school's settings.

This one plan drives the extraction's projections and the plugin.xml grants, so the plugin
asks for exactly what the sync reads: birth dates, genders and e-mails only when the school
syncs them, contact tables only when parents are synced.
"""

from __future__ import annotations

from sis_pipeline.config.models import SchoolSettings

# Primary key of each table: the record `id` PowerSchool pages by.
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


def extraction_plan(school: SchoolSettings) -> dict[str, list[str]]:
    """Table -> lower-case columns to project, in a stable order."""
    students = [
        "dcid",
        "student_number",
        "first_name",
        "last_name",
        "grade_level",
        "sched_yearofgraduation",
        "enroll_status",
        "schoolid",
        "person_id",
    ]
    if "date_of_birth" in school.optional_fields:
        students.append("dob")
    if "gender" in school.optional_fields:
        students.append("gender")
    plan: dict[str, list[str]] = {"students": students}

    if "teacher" in school.member_types:
        users = ["dcid", "first_name", "last_name"]
        if school.syncs_email:
            users.append("email_addr")
        plan["users"] = users
        plan["schoolstaff"] = ["dcid", "users_dcid", "schoolid", "status"]

    if "parent" in school.member_types:
        plan["person"] = ["id", "firstname", "lastname", "isactive"]
        plan["studentcontactassoc"] = ["studentcontactassocid", "studentdcid", "personid"]
        plan["studentcontactdetail"] = [
            "studentcontactdetailid",
            "studentcontactassocid",
            "isactive",
            "startdate",
            "enddate",
        ]

    if school.syncs_email and ({"student", "parent"} & set(school.member_types)):
        plan["emailaddress"] = ["emailaddressid", "emailaddress"]
        plan["personemailaddressassoc"] = [
            "personemailaddressassocid",
            "personid",
            "emailaddressid",
            "isprimaryemailaddress",
            "emailaddresspriorityorder",
        ]
    return plan
