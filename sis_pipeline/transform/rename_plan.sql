-- The rename plan: the mapping rows that can be applied, then the top-tier proposals the
-- school lets apply without review.
DELETE FROM sync.rename_plan;
INSERT INTO sync.rename_plan
SELECT old_host_id, new_host_id, member_type, source, line
FROM (
    SELECT old_host_id, new_host_id, member_type, 'mapping' AS source, line
    FROM mapping_checked
    WHERE outcome = 'rename'
    UNION ALL
    SELECT old_host_id, new_host_id, member_type, 'proposal', NULL
    FROM sync.reconciliation_proposals
    WHERE auto_applied
)
ORDER BY old_host_id;

DELETE FROM sync.mapping_rejections;
INSERT INTO sync.mapping_rejections
SELECT line, old_host_id, new_host_id, reason
FROM mapping_checked
WHERE outcome = 'rejected'
ORDER BY line;
