-- Duplicate guard (interface.md, "Safety" and "Details that matter"): a roster user who is
-- not on the platform yet, facing an unmanaged platform user (active or not) of the same
-- member type whose host ID is the person's raw PowerSchool ID (roster.source_id; "0042" and
-- "42" are the same number), or with the same normalised, case-folded full name and the same
-- birth date, both present. Each pair is one candidate for reconciliation.
CREATE OR REPLACE TABLE sync.reconciliation_candidates AS
WITH new_users AS (
    SELECT r.*, full_name_key(r.first_name, r.last_name) AS name_key
    FROM sync.roster AS r
    WHERE NOT EXISTS (SELECT 1 FROM platform_classified AS p WHERE p.host_id = r.host_id)
),
old_users AS (
    SELECT
        u.host_id,
        u.member_type,
        CASE WHEN regexp_full_match(u.host_id, '[0-9]+') THEN TRY_CAST(u.host_id AS BIGINT) END
            AS number_id,
        full_name_key(p.first_name, p.last_name) AS name_key,
        ps_date(p.date_of_birth) AS birth_date
    FROM sync.unmanaged_users AS u
    JOIN platform_classified AS p USING (host_id)
),
pairs AS (
    SELECT n.host_id AS new_host_id, o.host_id AS old_host_id, n.member_type, 'raw_id' AS evidence
    FROM new_users AS n
    JOIN old_users AS o ON o.member_type = n.member_type AND o.host_id = n.source_id
    UNION ALL
    SELECT n.host_id, o.host_id, n.member_type, 'raw_id'
    FROM new_users AS n
    JOIN old_users AS o ON o.member_type = n.member_type AND o.number_id = ps_id(n.source_id)
    UNION ALL
    SELECT n.host_id, o.host_id, n.member_type, 'name_and_birth_date'
    FROM new_users AS n
    JOIN old_users AS o
        ON o.member_type = n.member_type
        AND o.name_key = n.name_key
        AND o.birth_date = ps_date(n.date_of_birth)
)
SELECT
    new_host_id,
    old_host_id,
    member_type,
    string_agg(DISTINCT evidence, ',' ORDER BY evidence) AS evidence
FROM pairs
GROUP BY new_host_id, old_host_id, member_type
ORDER BY new_host_id, old_host_id;
