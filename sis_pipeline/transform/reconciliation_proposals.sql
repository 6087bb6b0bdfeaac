-- Proposals for the old accounts the mapping file misses: platform users outside the prefix
-- scheme (`sync.unmanaged_users`) matched to roster members the sync would create, by
-- evidence, always of the same member type. Tiers, strongest first:
--   1 raw_id                    the old host ID is the person's PowerSchool ID
--   2 name_and_birth_date       normalised full name and birth date, both present
--   3 name_and_graduation_year  normalised full name and graduation year (students)
--   3 email                     the same e-mail, case-folded
--   4 name_only                 the normalised full name alone (review only)
-- A pair's tier is its best evidence. A pair is ambiguous when either account has another
-- pair too (twins sharing a family e-mail, parents with the same name): it is listed for the
-- school to choose and never applied as it is. Only an unambiguous top-tier pair may be
-- applied without review, and only where the school's config says so. Birth dates count
-- only when the school syncs them: the roster holds none otherwise.
CREATE OR REPLACE TEMP TABLE proposal_pairs AS
WITH mentioned AS (
    SELECT old_host_id AS host_id FROM mapping_input
    UNION
    SELECT new_host_id FROM mapping_input
),
new_members AS (
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
      AND NOT EXISTS (SELECT 1 FROM mentioned AS m WHERE m.host_id = r.host_id)
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
    WHERE NOT EXISTS (SELECT 1 FROM mentioned AS m WHERE m.host_id = u.host_id)
),
evidence AS (
    SELECT n.host_id AS new_host_id, o.host_id AS old_host_id, n.member_type, 'raw_id' AS kind
    FROM new_members AS n
    JOIN old_accounts AS o ON o.member_type = n.member_type AND o.host_id = n.source_id
    UNION ALL
    -- "0042" and "42" are the same PowerSchool ID.
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
    JOIN old_accounts AS o ON o.member_type = n.member_type AND o.name_key = n.name_key
),
pairs AS (
    SELECT
        new_host_id,
        old_host_id,
        member_type,
        min(CASE kind
            WHEN 'raw_id' THEN 1
            WHEN 'name_and_birth_date' THEN 2
            WHEN 'name_and_graduation_year' THEN 3
            WHEN 'email' THEN 3
            ELSE 4
        END) AS tier,
        list(DISTINCT kind ORDER BY kind) AS kinds
    FROM evidence
    GROUP BY ALL
)
SELECT
    old_host_id,
    new_host_id,
    member_type,
    tier,
    -- A stronger name evidence says all that the bare name says.
    array_to_string(
        CASE WHEN list_contains(kinds, 'name_and_birth_date')
                OR list_contains(kinds, 'name_and_graduation_year')
            THEN list_filter(kinds, lambda k: k <> 'name_only')
            ELSE kinds
        END,
        ','
    ) AS evidence,
    count(*) OVER (PARTITION BY old_host_id) > 1
        OR count(*) OVER (PARTITION BY new_host_id) > 1 AS ambiguous
FROM pairs;

DELETE FROM sync.reconciliation_proposals;
INSERT INTO sync.reconciliation_proposals
SELECT
    p.old_host_id,
    p.new_host_id,
    p.member_type,
    p.tier,
    p.evidence,
    p.ambiguous,
    s.auto_apply_top_tier AND p.tier = 1 AND NOT p.ambiguous AS auto_applied
FROM proposal_pairs AS p
CROSS JOIN reconciliation_settings AS s
ORDER BY p.tier, p.new_host_id, p.old_host_id;
