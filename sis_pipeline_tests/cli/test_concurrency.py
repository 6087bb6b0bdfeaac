"""One run per school at a time; different schools run side by side on their own files."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import dagster as dg
import duckdb
import pytest
import yaml

from sis_pipeline.definitions import SYNC_JOB, build_definitions
from sis_pipeline.resources.school_lock import SchoolBusy, school_lock
from sis_pipeline.sandbox.platform import PlatformFaults
from sis_pipeline.sandbox.powerschool import PowerSchoolFaults
from sis_pipeline_tests.cli.cli_process import run_cli, start_cli, wait_until
from sis_pipeline_tests.sync_harness import sync_harness

PROJECT_ROOT = Path(__file__).resolve().parents[2]
LATENCY = 1.5


def roster_host_ids(database: Path) -> set[str]:
    with duckdb.connect(str(database)) as con:
        return {host_id for (host_id,) in con.execute("SELECT host_id FROM sync.roster").fetchall()}


def test_the_run_queue_allows_one_run_per_school():
    settings = yaml.safe_load((PROJECT_ROOT / "dagster.yaml").read_text())
    limits = settings["run_queue"]["tag_concurrency_limits"]
    assert {
        "key": "dagster/partition",
        "value": {"applyLimitPerUniqueValue": True},
        "limit": 1,
    } in limits


def test_a_sync_of_a_school_whose_lock_is_held_exits_1_with_one_line(tmp_path):
    with (
        sync_harness(tmp_path) as harness,
        school_lock(harness.schools.school_dir("riverdale"), "riverdale"),
    ):
        done = run_cli(harness, "sync", "--school", "riverdale", "--json")
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr.strip().splitlines() == [
        "sis-pipeline: error: schools.riverdale: another run of this school is in progress"
    ]
    assert harness.sandbox.powerschool.request_counts == {}


def test_two_schools_run_side_by_side_and_a_second_run_of_one_is_refused(tmp_path):
    with sync_harness(tmp_path) as harness:
        # Each platform request takes LATENCY seconds, so the runs overlap for a while.
        harness.sandbox.platform.faults = PlatformFaults(latency_seconds=LATENCY)
        schools_root = harness.schools.root / "schools"
        outcomes = {}

        def riverdale_run() -> None:
            started = time.monotonic()
            outcomes["riverdale"] = harness.sync("riverdale")
            outcomes["riverdale_span"] = (started, time.monotonic())

        holder = threading.Thread(target=riverdale_run)
        holder.start()
        wait_until(lambda: (schools_root / "riverdale" / "dlt").exists(), what="riverdale")
        hillcrest_started = time.monotonic()
        hillcrest = start_cli(harness, "sync", "--school", "hillcrest", "--json")
        with pytest.raises(SchoolBusy, match=r"another run of this school is in progress"):
            harness.sync("riverdale")
        assert holder.is_alive(), "the first riverdale run ended before the second was refused"

        out, err = hillcrest.communicate(timeout=120)
        hillcrest_ended = time.monotonic()
        holder.join(timeout=120)
        assert hillcrest.returncode == 0, err
        riverdale = outcomes["riverdale"]
        assert riverdale.exit_code == 0, riverdale.errors
        started, ended = outcomes["riverdale_span"]
        assert started < hillcrest_ended and hillcrest_started < ended  # they overlapped

        # Each school kept to its own files, dlt pipeline and org.
        assert sorted(p.name for p in (schools_root / "riverdale" / "dlt").iterdir()) == [
            "powerschool_riverdale"
        ]
        assert sorted(p.name for p in (schools_root / "hillcrest" / "dlt").iterdir()) == [
            "powerschool_hillcrest"
        ]
        for key, org in (("riverdale", "riverdale-high"), ("hillcrest", "hillcrest-middle")):
            database = schools_root / key / "sis.duckdb"
            assert roster_host_ids(database) == set(harness.users(org)) != set()


def test_a_run_not_started_by_the_cli_fails_with_one_reason_while_the_school_runs(tmp_path):
    with sync_harness(tmp_path) as harness:
        simulator = harness.sandbox.powerschool
        simulator.faults = PowerSchoolFaults(latency_seconds=0.2)
        cli = start_cli(harness, "sync", "--school", "riverdale", "--json")
        wait_until(lambda: sum(simulator.request_counts.values()) >= 2, what="the CLI sync")
        # As the UI, a schedule or a backfill starts it: a run in another instance, no CLI.
        job = build_definitions(harness.config, harness.schools).resolve_job_def(SYNC_JOB)
        requests_before = sum(simulator.request_counts.values())
        refused = job.execute_in_process(
            partition_key="riverdale", instance=harness.instance, raise_on_error=False
        )
        assert not refused.success
        (failure,) = [
            event.event_specific_data.error
            for event in refused.all_events
            if event.event_type_value == "RESOURCE_INIT_FAILURE"
        ]
        assert failure.message == (
            "sis_pipeline.resources.school_lock.SchoolBusy: "
            "schools.riverdale: another run of this school is in progress\n"
        )
        run = harness.instance.get_run_by_id(refused.run_id)
        assert run.status == dg.DagsterRunStatus.FAILURE
        assert run.tags["sis_pipeline/outcome"] == "failed"
        assert cli.poll() is None, "the CLI sync ended before the other run was refused"
        out, err = cli.communicate(timeout=120)
        assert cli.returncode == 0, err
        # Only the CLI's run read PowerSchool: the refused run stopped before any step.
        assert sum(simulator.request_counts.values()) > requests_before
        assert not [e for e in refused.all_events if e.event_type_value == "STEP_START"]
