-- Duplicate guard (docs/sync-rules.md, "Safety" and "Details that matter"): a roster user who is
-- not on the platform yet, facing an unmanaged platform user (active or not) of the same
-- member type that is plainly the same person: its host ID is the person's raw PowerSchool ID,
-- or it has the same name and birth date (`same_person_evidence.sql`); or an account of the
-- same member type that the school's last mapping file names as the person's old account (a
-- row planned, rejected or whose rename failed: until it is renamed, a new account would be a
-- duplicate). Each pair is one candidate for reconciliation.
CREATE OR REPLACE TABLE sync.reconciliation_candidates AS
WITH pairs AS (
    SELECT new_host_id, old_host_id, member_type, kind AS evidence
    FROM same_person_evidence
    WHERE kind IN ('raw_id', 'name_and_birth_date')
    UNION ALL
    -- A mapping's old ID may look managed (a former prefix scheme), so any account counts
    -- that is not itself on the roster.
    SELECT n.host_id, o.host_id, n.member_type, 'mapping'
    FROM sync.roster AS n
    JOIN (
        SELECT old_host_id, new_host_id FROM sync.rename_plan
        UNION
        SELECT old_host_id, new_host_id FROM sync.mapping_rejections
    ) AS m ON m.new_host_id = n.host_id
    JOIN platform_classified AS o ON o.host_id = m.old_host_id AND o.member_type = n.member_type
    WHERE NOT EXISTS (SELECT 1 FROM platform_classified AS p WHERE p.host_id = n.host_id)
      AND NOT EXISTS (SELECT 1 FROM sync.roster AS r WHERE r.host_id = o.host_id)
)
SELECT
    new_host_id,
    old_host_id,
    member_type,
    string_agg(DISTINCT evidence, ',' ORDER BY evidence) AS evidence
FROM pairs
GROUP BY new_host_id, old_host_id, member_type
ORDER BY new_host_id, old_host_id;
