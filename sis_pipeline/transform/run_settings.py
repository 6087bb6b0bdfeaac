"""Hand a school's settings to the SQL as a one-row temp table, `run_settings`.

The SQL files join this table instead of having values formatted into their text, so a
prefix or a list of school numbers can never change the meaning of a query.
"""

from __future__ import annotations

from datetime import date

import duckdb

from sis_pipeline.config.models import SchoolSettings


def write_run_settings(
    con: duckdb.DuckDBPyConnection, school: SchoolSettings, today: date | None = None
) -> None:
    grades = school.grades
    numbers = school.powerschool.school_numbers
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE run_settings AS SELECT
            $today::DATE AS today,
            $member_types::VARCHAR[] AS member_types,
            $student_id_field::VARCHAR AS student_id_field,
            $student_prefix::VARCHAR AS student_prefix,
            $teacher_prefix::VARCHAR AS teacher_prefix,
            $parent_prefix::VARCHAR AS parent_prefix,
            $school_numbers::BIGINT[] AS school_numbers,
            $grade_from::BIGINT AS grade_from,
            $grade_to::BIGINT AS grade_to,
            $syncs_dob::BOOLEAN AS syncs_dob,
            $syncs_gender::BOOLEAN AS syncs_gender,
            $syncs_email::BOOLEAN AS syncs_email
        """,
        {
            "today": today,
            "member_types": list(school.member_types),
            "student_id_field": school.student_id_field,
            "student_prefix": school.id_prefixes.student,
            "teacher_prefix": school.id_prefixes.teacher,
            "parent_prefix": school.id_prefixes.parent,
            # No list means every school; the schools file refuses an empty one.
            "school_numbers": list(numbers) if numbers else None,
            "grade_from": grades.from_ if grades else None,
            "grade_to": grades.to if grades else None,
            "syncs_dob": "date_of_birth" in school.optional_fields,
            "syncs_gender": "gender" in school.optional_fields,
            "syncs_email": "email" in school.optional_fields,
        },
    )
