-- One row per host ID in the roster, plus the managed platform users to deactivate.
-- A synced field is one the sync owns: names, member type, graduation year and grade level
-- always, birth date, gender and e-mail when the school syncs them. The platform's upsert
-- replaces every field, so a field the sync does not own is sent with the platform's current
-- value. Managed users already inactive and absent from the roster need nothing: no row.
-- A person whose PowerSchool record is quarantined is not a leaver: their account is left as
-- it is (no row) until the record is fixed, so a data-entry slip never deactivates anyone.
-- Rows are in no particular order (sorting a million rows costs more than the diff): every
-- reader orders what it reads.
CREATE OR REPLACE TABLE sync.changeset AS
WITH joined AS (
    SELECT
        coalesce(r.host_id, p.host_id) AS host_id,
        r.host_id IS NOT NULL AS in_roster,
        q.host_id IS NOT NULL AS quarantined,
        p.host_id IS NOT NULL AS on_platform,
        coalesce(p.managed, false) AS managed,
        p.status,
        coalesce(r.member_type, p.member_type) AS member_type,
        r.first_name,
        r.last_name,
        CASE WHEN s.syncs_email THEN r.email ELSE p.email END AS email,
        r.graduation_year,
        CASE WHEN s.syncs_dob THEN r.date_of_birth ELSE p.date_of_birth END AS date_of_birth,
        CASE WHEN s.syncs_gender THEN r.gender ELSE p.gender END AS gender,
        r.grade_level,
        -- The synced fields that differ, comma-separated in this order; NULL when none.
        -- concat_ws skips NULLs, and costs a fraction of building and filtering a list.
        NULLIF(concat_ws(
            ',',
            CASE WHEN r.member_type IS DISTINCT FROM p.member_type THEN 'member_type' END,
            CASE WHEN r.first_name IS DISTINCT FROM p.first_name THEN 'first_name' END,
            CASE WHEN r.last_name IS DISTINCT FROM p.last_name THEN 'last_name' END,
            CASE WHEN s.syncs_email AND r.email IS DISTINCT FROM p.email THEN 'email' END,
            CASE WHEN r.graduation_year IS DISTINCT FROM p.graduation_year
                THEN 'graduation_year' END,
            CASE WHEN s.syncs_dob AND r.date_of_birth IS DISTINCT FROM p.date_of_birth
                THEN 'date_of_birth' END,
            CASE WHEN s.syncs_gender AND r.gender IS DISTINCT FROM p.gender THEN 'gender' END,
            CASE WHEN r.grade_level IS DISTINCT FROM p.grade_level THEN 'grade_level' END
        ), '') AS changes
    FROM sync.roster AS r
    FULL OUTER JOIN platform_classified AS p ON p.host_id = r.host_id
    LEFT JOIN (
        SELECT DISTINCT host_id FROM sync.quarantine WHERE host_id IS NOT NULL
    ) AS q ON q.host_id = p.host_id
    CROSS JOIN run_settings AS s
),
decided AS (
    SELECT
        *,
        CASE
            WHEN in_roster AND NOT on_platform THEN 'create'
            WHEN in_roster AND status IS DISTINCT FROM 'active' THEN 'reactivate'
            WHEN in_roster AND changes IS NOT NULL THEN 'update'
            WHEN in_roster THEN 'unchanged'
            WHEN managed AND status = 'active' AND NOT quarantined THEN 'deactivate'
        END AS action
    FROM joined
),
guarded AS (
    SELECT DISTINCT new_host_id FROM sync.reconciliation_candidates
)
SELECT
    d.host_id,
    d.member_type,
    d.action,
    CASE WHEN d.action IN ('update', 'reactivate') THEN d.changes END AS changed_fields,
    coalesce(d.action = 'create' AND g.new_host_id IS NOT NULL, false) AS held,
    CASE WHEN d.action = 'create' AND g.new_host_id IS NOT NULL
        THEN 'duplicate_guard' END AS hold_reason,
    -- The payload: what an upsert sends (member_type above is part of it).
    CASE WHEN d.upsert THEN d.first_name END AS first_name,
    CASE WHEN d.upsert THEN d.last_name END AS last_name,
    CASE WHEN d.upsert THEN d.email END AS email,
    CASE WHEN d.upsert THEN d.graduation_year END AS graduation_year,
    CASE WHEN d.upsert THEN d.date_of_birth END AS date_of_birth,
    CASE WHEN d.upsert THEN d.gender END AS gender,
    CASE WHEN d.upsert THEN d.grade_level END AS grade_level
FROM (
    SELECT *, action IN ('create', 'update', 'reactivate') AS upsert FROM decided
) AS d
LEFT JOIN guarded AS g ON g.new_host_id = d.host_id
WHERE d.action IS NOT NULL;
