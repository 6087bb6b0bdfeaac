-- The reconciliation's tables. The sync's duplicate guard reads the plan and the rejections
-- too (a person the school's mapping gives an old account is never created anew), so they
-- exist, empty, for a school that was never reconciled. Each reconciliation replaces their
-- rows; a proposal is written for review unless `auto_applied`.
CREATE TABLE IF NOT EXISTS sync.rename_plan (
    old_host_id VARCHAR,
    new_host_id VARCHAR,
    member_type VARCHAR,
    source VARCHAR,  -- 'mapping' (a row of the file) or 'proposal' (top tier, auto-applied)
    line INTEGER  -- the mapping file's line, for rows from the file
);

CREATE TABLE IF NOT EXISTS sync.mapping_rejections (
    line INTEGER,
    old_host_id VARCHAR,
    new_host_id VARCHAR,
    reason VARCHAR
);

CREATE TABLE IF NOT EXISTS sync.reconciliation_proposals (
    old_host_id VARCHAR,
    new_host_id VARCHAR,
    member_type VARCHAR,
    tier INTEGER,  -- 1 strongest (raw ID) .. 4 weakest (name only)
    evidence VARCHAR,  -- the evidence kinds that matched, comma-separated
    ambiguous BOOLEAN,  -- either account has another proposal too: never applied as it is
    auto_applied BOOLEAN
);
