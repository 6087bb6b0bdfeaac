-- The roster, its field notes, and the quarantine, written together from the candidates.
-- Only member types the school syncs reach the roster; quarantined candidates never do.
CREATE SCHEMA IF NOT EXISTS sync;

CREATE OR REPLACE TEMP TABLE kept_candidates AS
SELECT c.*
FROM all_candidates AS c
CROSS JOIN run_settings AS r
WHERE list_contains(r.member_types, c.member_type)
  AND NOT EXISTS (
      SELECT 1 FROM quarantine_frame AS q
      WHERE q.member_type = c.member_type AND q.candidate_id = c.candidate_id
  );

CREATE OR REPLACE TABLE sync.roster AS
SELECT
    host_id,
    member_type,
    first_name,
    last_name,
    email,
    CAST(graduation_year AS INTEGER) AS graduation_year,
    date_of_birth,
    gender,
    CAST(grade_level AS INTEGER) AS grade_level,
    source_id
FROM kept_candidates
ORDER BY host_id;

CREATE OR REPLACE TABLE sync.field_notes AS
SELECT host_id, field, note
FROM (
    SELECT host_id, 'email' AS field, email_note AS note FROM kept_candidates
    UNION ALL
    SELECT host_id, 'date_of_birth', date_of_birth_note FROM kept_candidates
    UNION ALL
    SELECT host_id, 'gender', gender_note FROM kept_candidates
)
WHERE note IS NOT NULL
ORDER BY host_id, field;

CREATE OR REPLACE TABLE sync.quarantine AS
SELECT
    CAST(host_id AS VARCHAR) AS host_id,
    CAST(member_type AS VARCHAR) AS member_type,
    CAST(source_table AS VARCHAR) AS source_table,
    CAST(source_id AS VARCHAR) AS source_id,
    CAST(reason AS VARCHAR) AS reason
FROM quarantine_frame
ORDER BY member_type, source_id, reason;
