-- Students in scope (docs/sync-rules.md, "Who gets synced"): enroll_status 0, in the school
-- numbers and the grade range when given. A grade that is missing or not a number is outside
-- any range. Every student in scope becomes a candidate, synced or not, because students are
-- validated (and quarantined) even when only their parents are synced.
CREATE OR REPLACE TEMP TABLE student_candidates AS
WITH scoped AS (
    SELECT s.*, CASE r.student_id_field WHEN 'dcid' THEN s.dcid ELSE s.student_number END AS raw_id
    FROM raw_students AS s, run_settings AS r
    WHERE ps_integer(s.enroll_status) = 0
      AND (r.school_numbers IS NULL OR list_contains(r.school_numbers, ps_integer(s.schoolid)))
      AND (r.grade_from IS NULL OR ps_integer(s.grade_level) BETWEEN r.grade_from AND r.grade_to)
)
SELECT
    row_number() OVER () AS candidate_id,
    'student' AS member_type,
    'students' AS source_table,
    NULLIF(strip_space(s.dcid), '') AS record_key,
    NULLIF(strip_space(s.raw_id), '') AS source_id,
    r.student_prefix || CAST(ps_id(s.raw_id) AS VARCHAR) AS host_id,
    clean_name(s.first_name) AS first_name,
    clean_name(s.last_name) AS last_name,
    CASE WHEN r.syncs_email THEN email_value(e.raw_email) END AS email,
    -- 0 is how PowerSchool leaves the year unset: it counts as missing.
    NULLIF(ps_integer(s.sched_yearofgraduation), 0) AS graduation_year,
    CASE WHEN r.syncs_dob THEN CAST(ps_date(s.dob) AS VARCHAR) END AS date_of_birth,
    CASE WHEN r.syncs_gender THEN gender_value(s.gender) END AS gender,
    ps_integer(s.grade_level) AS grade_level,
    list_filter([
        CASE WHEN strip_space(s.raw_id) <> '' AND ps_id(s.raw_id) IS NULL THEN 'invalid:host_id' END,
        CASE WHEN strip_space(s.grade_level) <> '' AND ps_integer(s.grade_level) IS NULL
            THEN 'invalid:grade_level' END,
        CASE WHEN strip_space(s.sched_yearofgraduation) <> ''
                AND ps_integer(s.sched_yearofgraduation) IS NULL
            THEN 'invalid:graduation_year' END
    ], lambda x: x IS NOT NULL) AS parse_problems,
    CASE WHEN r.syncs_email THEN email_problem(e.raw_email) END AS email_note,
    CASE WHEN r.syncs_dob AND strip_space(s.dob) <> '' AND ps_date(s.dob) IS NULL
        THEN 'invalid_date' END AS date_of_birth_note,
    CASE WHEN r.syncs_gender THEN gender_problem(s.gender) END AS gender_note,
    ps_key(s.dcid) AS student_key
FROM scoped AS s
CROSS JOIN run_settings AS r
LEFT JOIN primary_emails AS e ON r.syncs_email AND e.person_key = ps_key(s.person_id);
