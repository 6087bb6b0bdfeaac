"""Asset `changeset`: what this run would change on the platform, and what safety holds."""

import dagster as dg

from sis_pipeline.resources.schools import SchoolsResource, SyncOptions
from sis_pipeline.sources.powerschool.settings import extraction_plan
from sis_pipeline.state.run_history import (
    baseline_counts,
    has_applied_sync,
    raw_table_counts,
)
from sis_pipeline.transform.changeset import build_changeset
from sis_pipeline.transform.mass_changes import RunSafety

HELD_ACTIONS = {"create": "creates", "update": "updates", "deactivate": "deactivations"}


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
        safety rule holds (the duplicate guard, or a mass change past the limit: creates,
        blanked fields, deactivations) carry `held` and the rule in `hold_reason`; the sink
        skips them. The changeset's ID covers what is held."""
        key = context.partition_key
        school = schools.school(key)
        with schools.connect(key) as con:
            counts = raw_table_counts(con, list(extraction_plan(school)))
            run = RunSafety(
                source_counts=counts,
                baseline_counts=baseline_counts(con),
                first_sync=not has_applied_sync(con),
                allow_mass_deactivation=options.allow_mass_deactivation,
                allow_mass_changes=options.allow_mass_changes,
            )
            summary = build_changeset(con, school, run)
        decision = summary.decision
        for hold in decision.holds:
            context.log.warning(f"{key}: {HELD_ACTIONS[hold.action]} held: {hold.reason}")
        return dg.MaterializeResult(
            metadata={
                "changeset_id": summary.changeset_id,
                "dagster/row_count": sum(summary.actions.values()),
                **{action: n for action, n in sorted(summary.actions.items())},
                "held": summary.held,
                "mass_change_limit": summary.limit,
                "holds": dg.MetadataValue.json(decision.record()),
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
