"""A run killed on another machine is found dead from this one; a live one never is.

Worker a is a `sis-pipeline sync` process on "another host": it runs with a host name of its
own (a UTS namespace, `unshare --uts`), so its run's tags name a host this machine's process
checks cannot judge. Worker b is this test process with its own data dir; both share one
PostgreSQL for the Dagster instance and the schools' state. Worker a is killed with SIGKILL
mid-extraction; only its session on the state database tells b that it is gone.
"""

from __future__ import annotations

import shutil
import subprocess
import sys

import dagster as dg
import pytest
from dagster._core.instance.ref import InstanceRef

from sis_pipeline.automation.dead_run_sensor import SENSOR_NAME
from sis_pipeline.cli.run_sync import run_sync
from sis_pipeline.definitions import build_definitions
from sis_pipeline.resources.dead_runs import HOST_TAG
from sis_pipeline.sandbox.powerschool import PowerSchoolFaults
from sis_pipeline_tests.cli.cli_process import cli_environment, kill_when, wait_until
from sis_pipeline_tests.cli.shared_workers import worker_environment
from sis_pipeline_tests.postgres_database import fresh_database, query, requires_postgres
from sis_pipeline_tests.sync_harness import SyncHarness, sync_harness

OTHER_HOST = "worker-a"


def _can_name_a_host() -> bool:
    if shutil.which("unshare") is None:
        return False
    probe = ["unshare", "--uts", "sh", "-c", f"hostname {OTHER_HOST} && hostname"]
    done = subprocess.run(probe, capture_output=True, text=True)
    return done.returncode == 0 and done.stdout.strip() == OTHER_HOST


pytestmark = [
    requires_postgres,
    pytest.mark.skipif(
        not _can_name_a_host(), reason="`unshare --uts` is not permitted: no other host name"
    ),
]


def killable_run_on_another_host(harness: SyncHarness, dsn: str) -> subprocess.Popen:
    """Worker a's sync of riverdale, extracting slowly; returned once it holds the lock."""
    env = cli_environment(harness, worker_environment(harness, "a", dsn))
    command = " ".join(
        [sys.executable, "-m", "sis_pipeline.cli.main", "sync", "--school", "riverdale"]
    )
    run = subprocess.Popen(
        ["unshare", "--uts", "sh", "-c", f"hostname {OTHER_HOST} && exec {command}"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    harness.sandbox.powerschool.faults = PowerSchoolFaults(latency_seconds=0.2)
    wait_until(
        lambda: (
            sum(harness.sandbox.powerschool.request_counts.values()) >= 3 or run.poll() is not None
        ),
        what="worker a extracting",
    )
    assert run.poll() is None, run.communicate()
    return run


def worker_b(harness: SyncHarness, dsn: str, monkeypatch) -> dg.DagsterInstance:
    """This process as worker b: the harness's data dir, the shared instance and state."""
    env = worker_environment(harness, "b", dsn, data_dir=harness.schools.root)
    for name, value in {**harness.environment, **env}.items():
        monkeypatch.setenv(name, value)
    return dg.DagsterInstance.from_ref(InstanceRef.from_dir(env["DAGSTER_HOME"]))


def the_run(instance: dg.DagsterInstance) -> dg.DagsterRun:
    (run,) = instance.get_runs(filters=dg.RunsFilter(tags={HOST_TAG: OTHER_HOST}))
    return run


def failure_message(instance: dg.DagsterInstance, run_id: str) -> str:
    (record,) = instance.all_logs(run_id, of_type=dg.DagsterEventType.RUN_FAILURE)
    return record.dagster_event.message


def sensor_tick(harness: SyncHarness, instance: dg.DagsterInstance) -> str:
    sensor = build_definitions(harness.config).get_repository_def().get_sensor_def(SENSOR_NAME)
    with dg.build_sensor_context(instance=instance, resources={"schools": harness.schools}) as ctx:
        tick = sensor.evaluate_tick(ctx)
    assert tick.run_requests == []
    return tick.skip_message


def session_gone(dsn: str) -> bool:
    return query(dsn, "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'")[0][0] == 0


def test_the_sensor_leaves_a_live_run_on_another_host_and_fails_it_once_killed(
    tmp_path, monkeypatch
):
    with sync_harness(tmp_path) as harness, fresh_database() as dsn:
        run = killable_run_on_another_host(harness, dsn)
        with worker_b(harness, dsn, monkeypatch) as instance:
            alive = the_run(instance)
            assert alive.status == dg.DagsterRunStatus.STARTED
            assert query(dsn, "SELECT run_id, host, state FROM sis_state.run_sessions") == [
                (alive.run_id, OTHER_HOST, "open")
            ]
            assert sensor_tick(harness, instance) == "no dead runs"
            assert instance.get_run_by_id(alive.run_id).status == dg.DagsterRunStatus.STARTED

            kill_when(run, lambda: True, "worker a extracting")
            wait_until(lambda: session_gone(dsn), 30, "worker a's session gone")
            assert sensor_tick(harness, instance) == "marked 1 dead runs failed"
            killed = instance.get_run_by_id(alive.run_id)
            assert killed.status == dg.DagsterRunStatus.FAILURE
            assert killed.tags["sis_pipeline/outcome"] == "failed"
            message = failure_message(instance, alive.run_id)
            assert sensor_tick(harness, instance) == "no dead runs"
    assert message == (
        f"schools.riverdale: this run on {OTHER_HOST} died before it ended: its session on the "
        "state database is gone and no longer holds the school's lock; marked failed by sensor "
        f"{SENSOR_NAME}"
    )


def test_the_next_run_on_another_worker_fails_the_killed_run_and_syncs(tmp_path, monkeypatch):
    with sync_harness(tmp_path) as harness, fresh_database() as dsn:
        run = killable_run_on_another_host(harness, dsn)
        with worker_b(harness, dsn, monkeypatch) as instance:
            # While worker a's run is alive, worker b's run is refused and a's left alone.
            refused = run_sync(
                harness.config, "riverdale", schools=harness.schools, instance=instance
            )
            assert refused.exit_code == 1
            assert refused.errors == [
                "schools.riverdale: another run of this school is in progress"
            ]
            killed_id = the_run(instance).run_id
            assert instance.get_run_by_id(killed_id).status == dg.DagsterRunStatus.STARTED

            kill_when(run, lambda: True, "worker a extracting")
            harness.sandbox.powerschool.faults = PowerSchoolFaults()
            wait_until(lambda: session_gone(dsn), 30, "worker a's session gone")
            outcome = run_sync(
                harness.config, "riverdale", schools=harness.schools, instance=instance
            )
            assert outcome.exit_code == 0, outcome.errors
            assert instance.get_run_by_id(killed_id).status == dg.DagsterRunStatus.FAILURE
            message = failure_message(instance, killed_id)
    assert message.startswith(f"schools.riverdale: this run on {OTHER_HOST} died before it ended")
    assert message.endswith(f"; marked failed by run {outcome.run_id}")
    assert harness.users()
