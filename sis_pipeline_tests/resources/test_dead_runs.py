"""A run is dead when the process its tags name is gone and its school's lock is free."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import dagster as dg

from sis_pipeline.resources.dead_runs import (
    HOST_TAG,
    PID_TAG,
    PROCESS_STARTED_TAG,
    find_dead_runs,
    process_is_gone,
    process_tags,
)


def ended_process() -> subprocess.Popen:
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    child.send_signal(signal.SIGKILL)
    return child


def test_a_process_is_gone_when_killed_reaped_or_its_pid_reused():
    assert not process_is_gone(process_tags())
    child = ended_process()
    tags = process_tags(child.pid)
    os.waitid(os.P_PID, child.pid, os.WEXITED | os.WNOWAIT)  # dead, not yet reaped
    assert process_is_gone(tags)
    child.wait()
    assert process_is_gone(tags)
    assert process_is_gone({**process_tags(), PROCESS_STARTED_TAG: "1"})  # pid reused
    assert not process_is_gone({**tags, HOST_TAG: "elsewhere"})  # cannot be told from here
    assert not process_is_gone({})


def test_dead_runs_are_unended_runs_of_a_gone_process_with_a_free_lock():
    gone = process_tags(ended_process().pid)
    with dg.instance_for_test() as instance:

        def run(key: str, status: dg.DagsterRunStatus, tags: dict) -> str:
            created = dg.DagsterRun(
                job_name="school_sync",
                run_id=f"{key}-{status.value}-{len(instance.get_runs())}",
                status=status,
                tags={"dagster/partition": key, **tags},
            )
            instance.add_run(created)
            return created.run_id

        dead = run("riverdale", dg.DagsterRunStatus.STARTED, gone)
        run("riverdale", dg.DagsterRunStatus.FAILURE, gone)  # ended
        run("riverdale", dg.DagsterRunStatus.STARTED, process_tags())  # alive
        run("riverdale", dg.DagsterRunStatus.STARTED, {**gone, HOST_TAG: "elsewhere"})
        locked = run("hillcrest", dg.DagsterRunStatus.STARTED, gone)

        found = find_dead_runs(instance, lambda key: key != "hillcrest")
        assert [d.run.run_id for d in found] == [dead]
        assert found[0].reason.startswith(
            f"schools.riverdale: this run's process (pid {gone[PID_TAG]}"
        )
        assert [d.run.run_id for d in find_dead_runs(instance, lambda key: True, "hillcrest")] == [
            locked
        ]
