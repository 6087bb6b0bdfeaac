-- The platform's users of the org, each marked managed or not. The sync manages a user when
-- the school syncs its member type and its host ID is that member type's prefix followed by
-- digits only (docs/sync-rules.md, "Safety"). Prefixes hold no digits, so the split is exact.
CREATE OR REPLACE TEMP TABLE platform_classified AS
WITH typed AS (
    SELECT
        p.*,
        CASE p.member_type
            WHEN 'student' THEN r.student_prefix
            WHEN 'teacher' THEN r.teacher_prefix
            WHEN 'parent' THEN r.parent_prefix
        END AS prefix,
        list_contains(r.member_types, p.member_type) AS type_synced
    FROM sync.platform_users AS p, run_settings AS r
)
SELECT
    * EXCLUDE (prefix, type_synced),
    coalesce(
        type_synced
        AND starts_with(host_id, prefix)
        AND regexp_full_match(substr(host_id, length(prefix) + 1), '[0-9]+'),
        false
    ) AS managed
FROM typed;

CREATE OR REPLACE TABLE sync.unmanaged_users AS
SELECT p.host_id, p.member_type, p.status
FROM platform_classified AS p
WHERE NOT p.managed
  AND NOT EXISTS (SELECT 1 FROM sync.roster AS r WHERE r.host_id = p.host_id)
ORDER BY p.host_id;
