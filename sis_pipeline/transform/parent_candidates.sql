-- Parents (docs/sync-rules.md, "Who gets synced"): active PERSON rows that are current contacts of
-- at least one student in scope that passed validation (`valid_students`), whether or not
-- students are synced. Current: a STUDENTCONTACTDETAIL with isactive 1 and today within its
-- startdate..enddate, inclusive, where set. A start or end date that is set but not a date
-- cannot show the contact is current, so it does not count. A person who is any student's
-- own person record is never a parent.
CREATE OR REPLACE TEMP TABLE parent_candidates AS
WITH current_contacts AS (
    SELECT DISTINCT ps_key(a.personid) AS person_key
    FROM raw_studentcontactassoc AS a
    JOIN raw_studentcontactdetail AS d
        ON ps_key(d.studentcontactassocid) = ps_key(a.studentcontactassocid)
    JOIN valid_students AS v ON v.student_key = ps_key(a.studentdcid)
    CROSS JOIN run_settings AS r
    WHERE a.personid IS NOT NULL
      AND ps_integer(d.isactive) = 1
      AND (d.startdate IS NULL OR ps_date(d.startdate) <= r.today)
      AND (d.enddate IS NULL OR ps_date(d.enddate) >= r.today)
),
student_persons AS (
    SELECT DISTINCT ps_key(person_id) AS person_key
    FROM raw_students
    WHERE person_id IS NOT NULL
)
SELECT
    row_number() OVER () AS candidate_id,
    'parent' AS member_type,
    'person' AS source_table,
    NULLIF(strip_space(p.id), '') AS record_key,
    NULLIF(strip_space(p.id), '') AS source_id,
    r.parent_prefix || CAST(ps_id(p.id) AS VARCHAR) AS host_id,
    clean_name(p.firstname) AS first_name,
    clean_name(p.lastname) AS last_name,
    CASE WHEN r.syncs_email THEN email_value(e.raw_email) END AS email,
    NULL::BIGINT AS graduation_year,
    NULL::VARCHAR AS date_of_birth,
    NULL::VARCHAR AS gender,
    NULL::BIGINT AS grade_level,
    list_filter([
        CASE WHEN ps_id(p.id) IS NULL THEN 'invalid:host_id' END
    ], lambda x: x IS NOT NULL) AS parse_problems,
    CASE WHEN r.syncs_email THEN email_problem(e.raw_email) END AS email_note,
    NULL::VARCHAR AS date_of_birth_note,
    NULL::VARCHAR AS gender_note
FROM raw_person AS p
CROSS JOIN run_settings AS r
LEFT JOIN primary_emails AS e ON r.syncs_email AND e.person_key = ps_key(p.id)
WHERE list_contains(r.member_types, 'parent')
  AND ps_integer(p.isactive) = 1
  AND ps_key(p.id) IN (SELECT person_key FROM current_contacts)
  AND ps_key(p.id) NOT IN (SELECT person_key FROM student_persons);
