-- Proposals for the old accounts the mapping file misses: the evidence of
-- `same_person_evidence.sql` between roster members the sync would create and platform users
-- outside the prefix scheme, leaving out the accounts the mapping file names on either side.
-- Tiers, strongest first:
--   1 raw_id                    the old host ID is the person's PowerSchool ID
--   2 name_and_birth_date       normalised full name and birth date, both present
--   3 name_and_graduation_year  normalised full name and graduation year (students)
--   3 email                     the same e-mail, case-folded
--   4 name_only                 the normalised full name alone (review only)
-- A pair's tier is its best evidence. A pair is ambiguous when either account has another
-- pair too (twins sharing a family e-mail, parents with the same name): it is listed for the
-- school to choose and never applied as it is. Only an unambiguous top-tier pair may be
-- applied without review, and only where the school's config says so.
CREATE OR REPLACE TEMP TABLE proposal_pairs AS
WITH mentioned AS (
    SELECT old_host_id AS host_id FROM mapping_input
    UNION
    SELECT new_host_id FROM mapping_input
),
evidence AS (
    SELECT * FROM same_person_evidence AS e
    WHERE NOT EXISTS (SELECT 1 FROM mentioned AS m WHERE m.host_id = e.new_host_id)
      AND NOT EXISTS (SELECT 1 FROM mentioned AS m WHERE m.host_id = e.old_host_id)
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
