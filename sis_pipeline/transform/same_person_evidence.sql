-- Evidence that a roster member the sync would create (not on the platform yet) already has
-- an account outside the prefix scheme (`sync.unmanaged_users`, active or not), always of the
-- same member type. One row per pair and kind of evidence:
--   raw_id                    the old host ID is the person's raw PowerSchool ID
--                             (roster.source_id; "0042" and "42" are the same number)
--   name_and_birth_date       normalised, case-folded full name and birth date, both present
--   name_and_graduation_year  normalised full name and graduation year
--   email                     the same e-mail, case-folded
--   name_only                 the normalised full name alone
-- The duplicate guard (`duplicate_guard.sql`) and the reconciliation's proposals
-- (`reconciliation_proposals.sql`) both read this view, each with its own filter. Birth dates
-- and e-mails count only when the school syncs them: the roster holds none otherwise.
CREATE OR REPLACE TEMP VIEW same_person_evidence AS
WITH new_members AS (
    SELECT
        r.host_id,
        r.member_type,
        r.source_id,
        ps_id(r.source_id) AS number_id,
        full_name_key(r.first_name, r.last_name) AS name_key,
        ps_date(r.date_of_birth) AS birth_date,
        r.graduation_year,
        NULLIF(lower(strip_space(r.email)), '') AS email_key
    FROM sync.roster AS r
    WHERE NOT EXISTS (SELECT 1 FROM sync.platform_users AS p WHERE p.host_id = r.host_id)
),
old_accounts AS (
    SELECT
        p.host_id,
        p.member_type,
        CASE WHEN regexp_full_match(p.host_id, '[0-9]+') THEN TRY_CAST(p.host_id AS BIGINT) END
            AS number_id,
        full_name_key(p.first_name, p.last_name) AS name_key,
        ps_date(p.date_of_birth) AS birth_date,
        p.graduation_year,
        NULLIF(lower(strip_space(p.email)), '') AS email_key
    FROM sync.unmanaged_users AS u
    JOIN sync.platform_users AS p USING (host_id)
)
SELECT n.host_id AS new_host_id, o.host_id AS old_host_id, n.member_type, 'raw_id' AS kind
FROM new_members AS n
JOIN old_accounts AS o ON o.member_type = n.member_type AND o.host_id = n.source_id
UNION ALL
SELECT n.host_id, o.host_id, n.member_type, 'raw_id'
FROM new_members AS n
JOIN old_accounts AS o ON o.member_type = n.member_type AND o.number_id = n.number_id
UNION ALL
SELECT n.host_id, o.host_id, n.member_type, 'name_and_birth_date'
FROM new_members AS n
JOIN old_accounts AS o
    ON o.member_type = n.member_type
    AND o.name_key = n.name_key
    AND o.birth_date = n.birth_date
UNION ALL
SELECT n.host_id, o.host_id, n.member_type, 'name_and_graduation_year'
FROM new_members AS n
JOIN old_accounts AS o
    ON o.member_type = n.member_type
    AND o.name_key = n.name_key
    AND o.graduation_year = n.graduation_year
UNION ALL
SELECT n.host_id, o.host_id, n.member_type, 'email'
FROM new_members AS n
JOIN old_accounts AS o ON o.member_type = n.member_type AND o.email_key = n.email_key
UNION ALL
SELECT n.host_id, o.host_id, n.member_type, 'name_only'
FROM new_members AS n
JOIN old_accounts AS o ON o.member_type = n.member_type AND o.name_key = n.name_key;
