-- Teachers (docs/sync-rules.md, "Who gets synced"): USERS rows with at least one active
-- (status 1) SCHOOLSTAFF row in the school numbers, any school when none are given. A user
-- on staff at several schools is still one candidate.
CREATE OR REPLACE TEMP TABLE teacher_candidates AS
WITH active_staff AS (
    SELECT DISTINCT ps_key(ss.users_dcid) AS user_key
    FROM raw_schoolstaff AS ss, run_settings AS r
    WHERE ps_integer(ss.status) = 1
      AND ss.users_dcid IS NOT NULL
      AND (r.school_numbers IS NULL OR list_contains(r.school_numbers, ps_integer(ss.schoolid)))
)
SELECT
    row_number() OVER () AS candidate_id,
    'teacher' AS member_type,
    'users' AS source_table,
    NULLIF(strip_space(u.dcid), '') AS record_key,
    NULLIF(strip_space(u.dcid), '') AS source_id,
    r.teacher_prefix || CAST(ps_id(u.dcid) AS VARCHAR) AS host_id,
    clean_name(u.first_name) AS first_name,
    clean_name(u.last_name) AS last_name,
    CASE WHEN r.syncs_email THEN email_value(u.email_addr) END AS email,
    NULL::BIGINT AS graduation_year,
    NULL::VARCHAR AS date_of_birth,
    NULL::VARCHAR AS gender,
    NULL::BIGINT AS grade_level,
    list_filter([
        CASE WHEN ps_id(u.dcid) IS NULL THEN 'invalid:host_id' END
    ], lambda x: x IS NOT NULL) AS parse_problems,
    CASE WHEN r.syncs_email THEN email_problem(u.email_addr) END AS email_note,
    NULL::VARCHAR AS date_of_birth_note,
    NULL::VARCHAR AS gender_note
FROM raw_users AS u
CROSS JOIN run_settings AS r
WHERE list_contains(r.member_types, 'teacher')
  AND ps_key(u.dcid) IN (SELECT user_key FROM active_staff);
