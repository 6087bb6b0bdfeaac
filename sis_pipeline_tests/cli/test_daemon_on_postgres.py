"""The daemon launches queued runs as processes of their own over a PostgreSQL instance.

Runs are submitted to the run queue as the UI or a schedule submits them; the daemon's queue
coordinator starts them (a process each) and they write the instance and the schools'
durable state to the one database.
"""

from __future__ import annotations

import json
import os
import subprocess
import time
from pathlib import Path

import dagster as dg

from sis_pipeline.definitions import SYNC_JOB
from sis_pipeline.state.durable_store import STATE_URL_VARIABLE
from sis_pipeline_tests.cli.daemon_instance import BIN, running_daemon, write_home
from sis_pipeline_tests.cli.exact_state import assert_platform_is_the_roster
from sis_pipeline_tests.cli.shared_workers import INSTANCE_URL_VARIABLE, dagster_url
from sis_pipeline_tests.postgres_database import fresh_database, query, requires_postgres
from sis_pipeline_tests.sync_harness import sync_harness

pytestmark = requires_postgres
SCHOOLS = ("hillcrest", "riverdale")


def test_the_daemon_runs_queued_school_syncs_as_processes_over_postgres(tmp_path, monkeypatch):
    with sync_harness(tmp_path) as harness, fresh_database() as dsn:
        home = write_home(tmp_path / "dagster-home", max_concurrent_runs=2)
        env = {
            **harness.environment,
            STATE_URL_VARIABLE: dsn,
            INSTANCE_URL_VARIABLE: dagster_url(dsn),
        }
        for name, value in {**env, "DAGSTER_HOME": str(home)}.items():
            monkeypatch.setenv(name, value)
        with (
            dg.DagsterInstance.get() as instance,
            running_daemon(home, env, tmp_path / "daemon.log") as daemon,
        ):
            for key in SCHOOLS:
                submit(home, env, key)
            runs = wait_for_runs(instance, len(SCHOOLS), tmp_path / "daemon.log")
            assert [run.tags["dagster/partition"] for run in runs] == list(SCHOOLS)
            assert [run.status for run in runs] == [dg.DagsterRunStatus.SUCCESS] * 2
            for run in runs:
                pids = started_process_ids(instance, run.run_id)
                assert pids and not pids & {os.getpid(), daemon.pid}, pids
        for key in SCHOOLS:
            assert_platform_is_the_roster(harness, key)
        recorded = {run_id for (run_id,) in query(dsn, "SELECT run_id FROM sis_state.runs")}
        assert recorded == {run.run_id for run in runs}


def submit(home: Path, env: dict[str, str], key: str) -> None:
    """Queue one school's sync as the UI does: a run of the job tagged with its partition."""
    done = subprocess.run(
        [
            str(BIN / "dagster"),
            "job",
            "launch",
            "-w",
            str(home / "workspace.yaml"),
            "-j",
            SYNC_JOB,
            "--tags",
            json.dumps({"dagster/partition": key}),
        ],
        env={**os.environ, **env, "DAGSTER_HOME": str(home)},
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 0, done.stderr[-2000:]


def wait_for_runs(instance: dg.DagsterInstance, count: int, log: Path) -> list[dg.DagsterRun]:
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        runs = instance.get_runs()
        if len(runs) == count and all(run.is_finished for run in runs):
            return sorted(runs, key=lambda run: run.tags["dagster/partition"])
        time.sleep(1)
    raise AssertionError(f"runs not finished in time; the daemon said: {log.read_text()[-2000:]}")


def started_process_ids(instance: dg.DagsterInstance, run_id: str) -> set[int]:
    """The process ids the run's engine events name (the process that executed it)."""
    pids = set()
    for entry in instance.all_logs(run_id, of_type=dg.DagsterEventType.ENGINE_EVENT):
        metadata = entry.dagster_event.engine_event_data.metadata or {}
        if "pid" in metadata:
            pids.add(int(metadata["pid"].value))
    return pids
