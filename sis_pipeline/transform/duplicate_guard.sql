-- Duplicate guard (interface.md, "Safety" and "Details that matter"): a roster user who is
-- not on the platform yet, facing an unmanaged platform user (active or not) of the same
-- member type whose host ID is the person's raw PowerSchool ID (roster.source_id; "0042" and
-- "42" are the same number), or with the same normalised, case-folded full name and the same
-- birth date, both present; or an account of the same member type that the school's last
-- mapping file names as the person's old account (a row planned, rejected or whose rename
-- failed: until it is renamed, a new account would be a duplicate). Each pair is one
-- candidate for reconciliation.
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
    UNION ALL
    -- A mapping's old ID may look managed (a former prefix scheme), so any account counts
    -- that is not itself on the roster.
    SELECT n.host_id, o.host_id, n.member_type, 'mapping'
    FROM new_users AS n
    JOIN (
        SELECT old_host_id, new_host_id FROM sync.rename_plan
        UNION
        SELECT old_host_id, new_host_id FROM sync.mapping_rejections
    ) AS m ON m.new_host_id = n.host_id
    JOIN platform_classified AS o ON o.host_id = m.old_host_id AND o.member_type = n.member_type
    WHERE NOT EXISTS (SELECT 1 FROM sync.roster AS r WHERE r.host_id = o.host_id)
)
SELECT
    new_host_id,
    old_host_id,
    member_type,
    string_agg(DISTINCT evidence, ',' ORDER BY evidence) AS evidence
FROM pairs
GROUP BY new_host_id, old_host_id, member_type
ORDER BY new_host_id, old_host_id;
