-- Every row of the school's mapping file (temp table `mapping_input`) with its outcome:
-- 'rename', 'already_renamed' (no account under the old ID and one under the new ID: the
-- row was applied before, so running a mapping again changes nothing), or 'rejected' with
-- the first reason that applies (docs/sync-rules.md, "Reconciliation mapping file"). A row is
-- judged against the whole file, never one of two conflicting rows guessed: every row of a
-- duplicated old or new ID is rejected, and so is every row of a chain (A->B while B->C) or
-- a cycle (A->B while B->A).
CREATE OR REPLACE TEMP TABLE mapping_checked AS
WITH RECURSIVE
checked_ids AS (
    SELECT
        line,
        old_host_id,
        new_host_id,
        coalesce(
            regexp_full_match(old_host_id, '[A-Za-z0-9._-]{1,64}')
            AND regexp_full_match(new_host_id, '[A-Za-z0-9._-]{1,64}'),
            false
        ) AS valid_ids,
        count(*) OVER (PARTITION BY old_host_id) AS old_rows,
        count(*) OVER (PARTITION BY new_host_id) AS new_rows
    FROM mapping_input
),
-- Rows that move an account. "X,X" moves nothing: it is done when X exists.
moves AS (
    SELECT * FROM checked_ids WHERE valid_ids AND old_host_id <> new_host_id
),
-- Among rows without duplicates each ID has at most one row out and one in, so a walk
-- from a row either ends or comes back to the row's own old ID: a cycle.
links AS (
    SELECT line, old_host_id, new_host_id FROM moves WHERE old_rows = 1 AND new_rows = 1
),
walk(start_line, start_old, node) AS (
    SELECT line, old_host_id, new_host_id FROM links
    UNION ALL
    SELECT w.start_line, w.start_old, l.new_host_id
    FROM walk AS w
    JOIN links AS l ON l.old_host_id = w.node
    WHERE w.node <> w.start_old
),
in_cycle AS (
    SELECT DISTINCT start_line AS line FROM walk WHERE node = start_old
),
in_chain AS (
    SELECT DISTINCT m.line
    FROM moves AS m
    JOIN moves AS other
        ON other.line <> m.line
        AND (other.old_host_id = m.new_host_id OR other.new_host_id = m.old_host_id)
),
judged AS (
    SELECT
        c.line,
        c.old_host_id,
        c.new_host_id,
        r.member_type,
        CASE
            WHEN NOT c.valid_ids THEN 'invalid_host_id'
            WHEN c.old_rows > 1 THEN 'duplicate_old_id'
            WHEN c.new_rows > 1 THEN 'duplicate_new_id'
            WHEN cy.line IS NOT NULL THEN 'cycle'
            WHEN ch.line IS NOT NULL THEN 'chain'
            WHEN r.host_id IS NULL THEN 'new_id_not_in_roster'
            WHEN (old.host_id IS NULL OR c.old_host_id = c.new_host_id)
                AND new.host_id IS NOT NULL THEN 'already_renamed'
            WHEN old.host_id IS NULL THEN 'old_id_not_on_platform'
            -- change_host_id keeps the member type: a teacher's account never becomes a
            -- student's.
            WHEN old.member_type IS DISTINCT FROM r.member_type THEN 'member_type_mismatch'
            WHEN new.host_id IS NOT NULL THEN 'new_id_taken'
        END AS reason
    FROM checked_ids AS c
    LEFT JOIN in_cycle AS cy ON cy.line = c.line
    LEFT JOIN in_chain AS ch ON ch.line = c.line
    LEFT JOIN sync.roster AS r ON r.host_id = c.new_host_id
    LEFT JOIN sync.platform_users AS old ON old.host_id = c.old_host_id
    LEFT JOIN sync.platform_users AS new ON new.host_id = c.new_host_id
)
SELECT
    line,
    old_host_id,
    new_host_id,
    member_type,
    CASE
        WHEN reason IS NULL THEN 'rename'
        WHEN reason = 'already_renamed' THEN 'already_renamed'
        ELSE 'rejected'
    END AS outcome,
    CASE WHEN reason <> 'already_renamed' THEN reason END AS reason
FROM judged
ORDER BY line;
