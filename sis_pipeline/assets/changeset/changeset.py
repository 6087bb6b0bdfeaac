"""Asset `changeset`: what this run would change on the platform, and what safety holds."""

import json

import dagster as dg

from sis_pipeline.resources.schools import SchoolsResource, SyncOptions
from sis_pipeline.sources.powerschool.settings import extraction_plan
from sis_pipeline.state.run_history import last_applied_counts, raw_table_counts
from sis_pipeline.transform.changeset import build_changeset
from sis_pipeline.transform.safety import (
    deactivation_limit,
    hold_deactivations,
    source_health_problems,
)


def build_changeset_asset(partitions_def: dg.PartitionsDefinition) -> dg.AssetsDefinition:
    @dg.asset(
        key="changeset",
        # After the reconciliation when both run: renames go before any create.
        deps=["roster", "platform_users", "reconciliation"],
        group_name="sync",
        partitions_def=partitions_def,
        kinds={"duckdb"},
    )
    def changeset(
        context: dg.AssetExecutionContext, schools: SchoolsResource, options: SyncOptions
    ) -> dg.MaterializeResult:
        """The roster diffed against the platform: one row per host ID with its action
        (create, update, reactivate, deactivate, unchanged) and the user to send. Rows a
        safety rule holds carry `held` and the reason; the sink skips them."""
        key = context.partition_key
        school = schools.school(key)
        rule = school.safety.max_deactivations
        with schools.connect(key) as con:
            summary = build_changeset(con, school)
            counts = raw_table_counts(con, list(extraction_plan(school)))
            health = source_health_problems(counts, last_applied_counts(con), rule.fraction)
            limit = deactivation_limit(summary.active_managed_users, rule.fraction, rule.minimum)
            would_deactivate = summary.actions.get("deactivate", 0)
            decision = hold_deactivations(
                would_deactivate, limit, health, options.allow_mass_deactivation
            )
            if decision.held:
                con.execute(
                    "UPDATE sync.changeset SET held = true, hold_reason = 'mass_deactivation' "
                    "WHERE action = 'deactivate'"
                )
            con.execute(
                "CREATE OR REPLACE TABLE sync.changeset_context AS "
                "SELECT ? AS changeset_id, ?::JSON AS source_counts, ?::JSON AS hold_reasons",
                [summary.changeset_id, json.dumps(counts), json.dumps(decision.reasons)],
            )
            held = con.execute("SELECT count(*) FROM sync.changeset WHERE held").fetchall()[0][0]
        for reason in decision.reasons:
            context.log.warning(f"{key}: deactivations held: {reason}")
        return dg.MaterializeResult(
            metadata={
                "changeset_id": summary.changeset_id,
                "dagster/row_count": sum(summary.actions.values()),
                **{action: n for action, n in sorted(summary.actions.items())},
                "held": held,
                "deactivation_limit": limit,
                "by_member_type": dg.MetadataValue.md(_counts_table(summary.by_member_type)),
                "source_counts": dg.MetadataValue.json(counts),
            }
        )

    return changeset


def _counts_table(by_member_type: dict[str, dict[str, int]]) -> str:
    lines = ["| action | member type | users |", "|---|---|---|"]
    for action, counts in sorted(by_member_type.items()):
        lines += [f"| {action} | {member} | {n} |" for member, n in sorted(counts.items())]
    return "\n".join(lines)
