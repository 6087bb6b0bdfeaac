"""The run tags scripts and operators rely on (docs/command-line.md, "Runs in Dagster").

Every sync or reconcile run carries `sis_pipeline/org` (set by its first and last steps from
the school's settings, so UI, schedule, sensor and backfill runs get it as CLI runs do) and,
once it has ended, `sis_pipeline/outcome`. The step that applies (the sink, or the
reconciliation) tags the outcome from its exit code; a step that fails tags `failed` through
the jobs' failure hook, so a run that crashed before the sink says so too.
"""

from __future__ import annotations

from contextlib import suppress

import dagster as dg

from sis_pipeline.config.models import SchoolSettings
from sis_pipeline.config.schools_file import ConfigError
from sis_pipeline.state.outcome import (
    EXIT_FAILED,
    EXIT_HELD,
    EXIT_OK,
    ORG_TAG,
    OUTCOME_FAILED,
    OUTCOME_HELD,
    OUTCOME_TAG,
    PARTITION_TAG,
    outcome_for,
    worst,
)

# What an earlier step's outcome says, so a later step never hides it (applied -> 0).
_EXIT_OF_OUTCOME = {OUTCOME_FAILED: EXIT_FAILED, OUTCOME_HELD: EXIT_HELD}


def tag_org(context: dg.AssetExecutionContext, school: SchoolSettings) -> None:
    context.instance.add_run_tags(context.run.run_id, {ORG_TAG: school.org_id})


def tag_outcome(instance: dg.DagsterInstance, run_id: str, exit_code: int, test_run: bool) -> str:
    """Tag the run's outcome: the worst of this step's and what an earlier step tagged."""
    run = instance.get_run_by_id(run_id)
    earlier = run.tags.get(OUTCOME_TAG) if run else None
    code = worst(exit_code, _EXIT_OF_OUTCOME.get(earlier, EXIT_OK))
    outcome = outcome_for(code, test_run)
    instance.add_run_tags(run_id, {OUTCOME_TAG: outcome})
    return outcome


@dg.failure_hook(required_resource_keys={"schools"})
def tag_failed_run(context: dg.HookContext) -> None:
    """A failed step fails the run: tag it failed, and with its org when the school is known."""
    tags = {OUTCOME_TAG: OUTCOME_FAILED}
    run = context.instance.get_run_by_id(context.run_id)
    key = run.tags.get(PARTITION_TAG) if run else None
    if key and run and ORG_TAG not in run.tags:
        # A schools file that cannot load names no org.
        with suppress(ConfigError):
            tags[ORG_TAG] = context.resources.schools.school(key).org_id
    context.instance.add_run_tags(context.run_id, tags)
