"""Plan the renames that carry a returning school's old platform accounts to prefixed IDs.

`build_reconciliation` reads `sync.roster`, `sync.platform_users` and the rows of the
school's mapping file, and replaces `sync.rename_plan`, `sync.mapping_rejections` and
`sync.reconciliation_proposals`. The decisions live in `mapping_checks.sql`,
`reconciliation_proposals.sql` and `rename_plan.sql`; which accounts are outside the prefix
scheme comes from the sync's own `platform_users.sql` (so `sync.unmanaged_users` is refreshed
too, with what the next changeset would write), and the evidence that two accounts are one
person from `same_person_evidence.sql`, which the sync's duplicate guard reads too.
`rename_operations` gives the plan as the platform's `change_host_id` operations;
`record_renames` moves applied renames into `sync.platform_users`, so a sync later in the same
run sees each account where it now is.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any

import duckdb
import pyarrow as pa

from sis_pipeline.config.mapping_file import MappingRow
from sis_pipeline.config.models import SchoolSettings
from sis_pipeline.transform.changeset import check_platform_listing
from sis_pipeline.transform.operations import changeset_id
from sis_pipeline.transform.run_settings import write_run_settings
from sis_pipeline.transform.sql_files import run_sql, run_sql_atomically

MAPPING_SCHEMA = pa.schema(
    [("line", pa.int32()), ("old_host_id", pa.string()), ("new_host_id", pa.string())]
)


@dataclass(frozen=True)
class ReconciliationSummary:
    """Counts of one reconciliation's plan, rejections and proposals; never personal values."""

    plan_id: str  # stable hash of the rename operations
    renames: int  # renames planned (mapping rows and auto-applied proposals)
    auto_applied: int  # of which top-tier proposals applied without review
    already_renamed: int  # mapping rows that already hold on the platform
    rejected: int
    proposed: int  # proposals written for review (not auto-applied)
    ambiguous: int  # of which ambiguous
    rejected_by_reason: dict[str, int] = field(default_factory=dict)
    proposed_by_tier: dict[int, int] = field(default_factory=dict)


def build_reconciliation(
    con: duckdb.DuckDBPyConnection, school: SchoolSettings, mapping: list[MappingRow]
) -> ReconciliationSummary:
    """Replace the reconciliation tables; `sync.roster` and `sync.platform_users` exist."""
    check_platform_listing(con)
    run_sql(con, "macros")
    write_run_settings(con, school)
    con.execute(
        "CREATE OR REPLACE TEMP TABLE reconciliation_settings AS "
        "SELECT ?::BOOLEAN AS auto_apply_top_tier",
        [school.reconciliation.auto_apply_top_tier],
    )
    rows = pa.Table.from_pylist(
        [asdict(row) for row in mapping],
        schema=MAPPING_SCHEMA,
    )
    con.register("mapping_rows", rows)
    con.execute("CREATE OR REPLACE TEMP TABLE mapping_input AS SELECT * FROM mapping_rows")
    con.unregister("mapping_rows")
    run_sql(con, "reconciliation_tables")
    run_sql_atomically(
        con,
        "platform_users",
        "same_person_evidence",
        "mapping_checks",
        "reconciliation_proposals",
        "rename_plan",
    )
    return _summarise(con)


def _summarise(con: duckdb.DuckDBPyConnection) -> ReconciliationSummary:
    outcomes = Counter(
        dict(con.execute("SELECT outcome, count(*) FROM mapping_checked GROUP BY ALL").fetchall())
    )
    reasons = con.execute(
        "SELECT reason, count(*) FROM sync.mapping_rejections GROUP BY ALL ORDER BY 1"
    ).fetchall()
    auto_applied = con.execute(
        "SELECT count(*) FROM sync.reconciliation_proposals WHERE auto_applied"
    ).fetchall()[0][0]
    tiers = con.execute(
        "SELECT tier, count(*), count(*) FILTER (ambiguous) FROM sync.reconciliation_proposals "
        "WHERE NOT auto_applied GROUP BY ALL ORDER BY 1"
    ).fetchall()
    operations = rename_operations(con)
    return ReconciliationSummary(
        plan_id=changeset_id(operations),
        renames=len(operations),
        auto_applied=auto_applied,
        already_renamed=outcomes["already_renamed"],
        rejected=outcomes["rejected"],
        proposed=sum(count for _, count, _ in tiers),
        ambiguous=sum(count for _, _, count in tiers),
        rejected_by_reason=dict(reasons),
        proposed_by_tier={tier: count for tier, count, _ in tiers},
    )


def rename_operations(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """`sync.rename_plan` as operations {"host_id", "action", "operation"}, by old host ID."""
    rows = con.execute("SELECT old_host_id, new_host_id FROM sync.rename_plan").fetchall()
    operations = [
        {
            "host_id": old,
            "action": "rename",
            "operation": {"op": "change_host_id", "host_id": old, "new_host_id": new},
        }
        for old, new in rows
    ]
    # Python orders str by code point, as the platform orders host IDs.
    return sorted(operations, key=lambda item: item["host_id"])


def record_renames(con: duckdb.DuckDBPyConnection, renamed: list[tuple[str, str]]) -> None:
    """Carry applied renames (old, new) into `sync.platform_users`."""
    if not renamed:
        return
    pairs = pa.table(
        {"old_host_id": [old for old, _ in renamed], "new_host_id": [new for _, new in renamed]},
        schema=pa.schema([("old_host_id", pa.string()), ("new_host_id", pa.string())]),
    )
    con.register("renamed_pairs", pairs)
    con.execute(
        "UPDATE sync.platform_users AS p SET host_id = r.new_host_id "
        "FROM renamed_pairs AS r WHERE p.host_id = r.old_host_id"
    )
    con.unregister("renamed_pairs")
