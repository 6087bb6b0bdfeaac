"""A backfill of reconciliation then sync over two returning schools, as the UI launches it.

The backfill is created the way the UI creates one (the job's assets over the selected
school partitions) and driven by Dagster's own backfill daemon iteration. Its runs are
launched in this process (Dagster's in-memory launcher) from the project's code location,
`sis_pipeline.definitions:defs`, configured by the environment as in production. Each school
reads the mapping file dropped for it in <data dir>/reconciliation/.
"""

from __future__ import annotations

import logging
import time

import dagster as dg
from dagster._core.execution.backfill import BulkActionStatus, PartitionBackfill
from dagster._core.remote_origin import InProcessCodeLocationOrigin
from dagster._core.test_utils import (
    InProcessTestWorkspaceLoadTarget,
    create_test_daemon_workspace_context,
)
from dagster._core.types.loadable_target_origin import LoadableTargetOrigin
from dagster._daemon.backfill import execute_backfill_iteration

from sis_pipeline.definitions import RECONCILE_AND_SYNC_JOB, build_definitions
from sis_pipeline.resources.reconcile_options import dropped_mapping_file
from sis_pipeline_tests.returning_school import old_accounts, write_mapping
from sis_pipeline_tests.sync_harness import sync_harness

SCHOOLS = {
    "riverdale": ("riverdale-high", 100, "student_number"),
    "hillcrest": ("hillcrest-middle", 200, "dcid"),
}


def test_a_backfill_over_two_schools_renames_then_syncs_each(tmp_path, monkeypatch):
    with sync_harness(tmp_path) as harness:
        for name, value in harness.environment.items():
            monkeypatch.setenv(name, value)
        expected = {}
        for key, (org, number, id_field) in SCHOOLS.items():
            accounts = old_accounts(harness.sandbox.district, number, id_field)
            harness.sandbox.platform.seed_users(org, list(accounts.values()))
            pairs = [(a["host_id"], new) for new, a in accounts.items()]
            path = dropped_mapping_file(harness.schools.root, key)
            path.parent.mkdir(parents=True, exist_ok=True)
            write_mapping(path, pairs)
            expected[key] = accounts

        job = build_definitions(harness.config).resolve_job_def(RECONCILE_AND_SYNC_JOB)
        backfill_id = run_backfill(sorted(SCHOOLS), list(job.asset_layer.executable_asset_keys))

        for key, (org, _, _) in SCHOOLS.items():
            users = harness.users(org)
            accounts = expected[key]
            assert set(accounts) <= set(users), key
            assert not {a["host_id"] for a in accounts.values()} & set(users), key
            with harness.schools.connect(key) as con:
                roster = {h for (h,) in con.execute("SELECT host_id FROM sync.roster").fetchall()}
            assert set(users) == roster, key  # one account per person, none left behind
    assert backfill_id


def run_backfill(partitions: list[str], asset_keys: list[dg.AssetKey]) -> str:
    origin = LoadableTargetOrigin(module_name="sis_pipeline.definitions", attribute="defs")
    target = InProcessTestWorkspaceLoadTarget(InProcessCodeLocationOrigin(origin))
    with (
        dg.instance_for_test(
            synchronous_run_launcher=True, synchronous_run_coordinator=True
        ) as instance,
        create_test_daemon_workspace_context(target, instance) as workspace,
    ):
        backfill = PartitionBackfill.from_asset_partitions(
            backfill_id="returning",
            asset_graph=workspace.create_request_context().asset_graph,
            partition_names=partitions,
            asset_selection=asset_keys,
            backfill_timestamp=time.time(),
            tags={},
            dynamic_partitions_store=instance,
            all_partitions=False,
            title="returning schools",
            description=None,
            run_config=None,
        )
        instance.add_backfill(backfill)
        logger = logging.getLogger("backfill")
        for _ in range(10):
            list(execute_backfill_iteration(workspace, logger))
            status = instance.get_backfill("returning").status
            if status != BulkActionStatus.REQUESTED:
                break
        assert status == BulkActionStatus.COMPLETED_SUCCESS, status
        runs = instance.get_runs(filters=dg.RunsFilter(tags={"dagster/backfill": "returning"}))
        assert sorted(run.tags["dagster/partition"] for run in runs) == partitions
        assert all(run.status == dg.DagsterRunStatus.SUCCESS for run in runs)
        for run in runs:
            steps = step_order(instance, run.run_id)
            assert steps.index("reconciliation") < steps.index("changeset")
        return backfill.backfill_id


def step_order(instance: dg.DagsterInstance, run_id: str) -> list[str]:
    """Step keys in the order their steps started."""
    return [
        record.step_key
        for record in instance.all_logs(run_id, of_type=dg.DagsterEventType.STEP_START)
    ]
