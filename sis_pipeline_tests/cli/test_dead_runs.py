"""A run killed with SIGKILL never blocks its school: it is found dead and marked failed.

The killed run is a `sis-pipeline sync` child process, in an instance configured by the
project's own dagster.yaml (the run queue with one run per school). The next run of the school
marks it failed before it starts; the `dead_runs` sensor does it for runs waiting in the queue,
which the queue then starts.
"""

from __future__ import annotations

import logging
import shutil
import time
from pathlib import Path

import dagster as dg
from dagster._core.execution.backfill import PartitionBackfill
from dagster._core.instance.ref import InstanceRef
from dagster._core.remote_origin import InProcessCodeLocationOrigin
from dagster._core.test_utils import (
    InProcessTestWorkspaceLoadTarget,
    create_test_daemon_workspace_context,
)
from dagster._core.types.loadable_target_origin import LoadableTargetOrigin
from dagster._daemon.backfill import execute_backfill_iteration
from dagster._daemon.run_coordinator.queued_run_coordinator_daemon import (
    QueuedRunCoordinatorDaemon,
)

from sis_pipeline.automation.dead_run_sensor import SENSOR_NAME
from sis_pipeline.cli.run_sync import run_sync
from sis_pipeline.definitions import SYNC_JOB, build_definitions
from sis_pipeline.resources.dead_runs import PID_TAG
from sis_pipeline.sandbox.powerschool import PowerSchoolFaults
from sis_pipeline_tests.cli.cli_process import kill_when, start_cli
from sis_pipeline_tests.sync_harness import SyncHarness, sync_harness

PROJECT_ROOT = Path(__file__).resolve().parents[2]
# Launched runs execute in this process, as the daemon's launcher would run them elsewhere.
IN_PROCESS_LAUNCHER = {
    "run_launcher": {
        "module": "dagster._core.launcher.sync_in_memory_run_launcher",
        "class": "SyncInMemoryRunLauncher",
    }
}


def project_instance(home: Path) -> dg.DagsterInstance:
    return dg.DagsterInstance.from_ref(
        InstanceRef.from_dir(str(home), overrides=IN_PROCESS_LAUNCHER)
    )


def killed_sync(harness: SyncHarness, home: Path) -> str:
    """A CLI sync of riverdale killed with SIGKILL mid-extraction; its run's ID."""
    home.mkdir()
    shutil.copy(PROJECT_ROOT / "dagster.yaml", home / "dagster.yaml")
    simulator = harness.sandbox.powerschool
    simulator.faults = PowerSchoolFaults(latency_seconds=0.2)
    run = start_cli(harness, "sync", "--school", "riverdale", env={"DAGSTER_HOME": str(home)})
    kill_when(run, lambda: sum(simulator.request_counts.values()) >= 3, "extraction begun")
    simulator.faults = PowerSchoolFaults()
    with project_instance(home) as instance:
        (killed,) = instance.get_runs()
    assert killed.status == dg.DagsterRunStatus.STARTED and killed.tags[PID_TAG] == str(run.pid)
    return killed.run_id


def failure_message(instance: dg.DagsterInstance, run_id: str) -> str:
    (record,) = instance.all_logs(run_id, of_type=dg.DagsterEventType.RUN_FAILURE)
    return record.dagster_event.message


def test_the_next_run_of_the_school_marks_a_killed_run_failed(tmp_path):
    with sync_harness(tmp_path) as harness:
        killed_id = killed_sync(harness, tmp_path / "home")
        with project_instance(tmp_path / "home") as instance:
            outcome = run_sync(
                harness.config, "riverdale", schools=harness.schools, instance=instance
            )
            assert outcome.exit_code == 0, outcome.errors
            killed = instance.get_run_by_id(killed_id)
            assert killed.status == dg.DagsterRunStatus.FAILURE
            assert killed.tags["sis_pipeline/outcome"] == "failed"
            message = failure_message(instance, killed_id)
    assert message.startswith(f"schools.riverdale: this run's process (pid {killed.tags[PID_TAG]}")
    assert message.endswith(
        f"killed or crashed before it ended; marked failed by run {outcome.run_id}"
    )


def test_the_sensor_marks_a_killed_run_failed_and_the_queued_run_starts(tmp_path, monkeypatch):
    with sync_harness(tmp_path) as harness:
        for name, value in harness.environment.items():
            monkeypatch.setenv(name, value)
        home = tmp_path / "home"
        killed_id = killed_sync(harness, home)
        origin = LoadableTargetOrigin(module_name="sis_pipeline.definitions", attribute="defs")
        target = InProcessTestWorkspaceLoadTarget(InProcessCodeLocationOrigin(origin))
        with (
            project_instance(home) as instance,
            create_test_daemon_workspace_context(target, instance) as workspace,
        ):
            sync_assets = build_definitions(harness.config).resolve_job_def(SYNC_JOB)
            queued_id = queue_a_run(workspace, instance, sync_assets)
            coordinator = QueuedRunCoordinatorDaemon(interval_seconds=1)
            list(coordinator.run_iteration(workspace))
            # The killed run still holds riverdale's place in the queue.
            assert instance.get_run_by_id(queued_id).status == dg.DagsterRunStatus.QUEUED

            defs = build_definitions(harness.config)
            sensor = defs.get_repository_def().get_sensor_def(SENSOR_NAME)
            with dg.build_sensor_context(
                instance=instance, resources={"schools": harness.schools}
            ) as context:
                tick = sensor.evaluate_tick(context)
            assert tick.run_requests == [] and tick.skip_message == "marked 1 dead runs failed"
            assert instance.get_run_by_id(killed_id).status == dg.DagsterRunStatus.FAILURE
            assert failure_message(instance, killed_id).endswith(f"by sensor {SENSOR_NAME}")

            list(coordinator.run_iteration(workspace))
            assert instance.get_run_by_id(queued_id).status == dg.DagsterRunStatus.SUCCESS
    assert harness.users()  # the queued run synced riverdale


def queue_a_run(workspace, instance: dg.DagsterInstance, job: dg.JobDefinition) -> str:
    """A run of riverdale's sync submitted as the UI submits one: into the run queue."""
    backfill = PartitionBackfill.from_asset_partitions(
        backfill_id="after-kill",
        asset_graph=workspace.create_request_context().asset_graph,
        partition_names=["riverdale"],
        asset_selection=list(job.asset_layer.executable_asset_keys),
        backfill_timestamp=time.time(),
        tags={},
        dynamic_partitions_store=instance,
        all_partitions=False,
        title=None,
        description=None,
        run_config=None,
    )
    instance.add_backfill(backfill)
    list(execute_backfill_iteration(workspace, logging.getLogger("backfill")))
    (queued,) = instance.get_runs(filters=dg.RunsFilter(tags={"dagster/backfill": "after-kill"}))
    return queued.run_id
