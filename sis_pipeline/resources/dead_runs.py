"""Runs that died without ending: found by their process, marked failed, so their school goes on.

A run killed with SIGKILL (or lost with its machine) never reports its end, so Dagster keeps it
STARTED; the run queue's one-run-per-school limit then holds every later run of that school.
Each run records where it runs as tags when it takes its school's lock: the host, the pid and
the process's start time (so a pid the system reused later is not taken for the run). A run on
this host is dead when that process is gone and its school's lock is free; it is then marked
failed with the reason. The next run of the school does this before it starts, and the
`dead_runs` sensor does it for every school on the daemon's host.

Dagster's own run monitoring cannot: the default run launcher has no worker health check, and
runs the command line executes in its own process are launched by no launcher at all. It still
fails runs that never got as far as starting (`run_monitoring` in dagster.yaml).
"""

from __future__ import annotations

import os
import socket
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import dagster as dg

from sis_pipeline.state.outcome import (
    EXIT_FAILED,
    OUTCOME_TAG,
    PARTITION_TAG,
    TEST_RUN_TAG,
    outcome_for,
)

HOST_TAG = "sis_pipeline/host"
PID_TAG = "sis_pipeline/pid"
PROCESS_STARTED_TAG = "sis_pipeline/process_started"
UNENDED = [
    dg.DagsterRunStatus.STARTING,
    dg.DagsterRunStatus.STARTED,
    dg.DagsterRunStatus.CANCELING,
]


@dataclass(frozen=True)
class DeadRun:
    run: dg.DagsterRun
    school: str
    reason: str


def process_tags(pid: int | None = None) -> dict[str, str]:
    """The tags that say which process runs a run: this one unless `pid` is given."""
    pid = pid or os.getpid()
    return {
        HOST_TAG: socket.gethostname(),
        PID_TAG: str(pid),
        PROCESS_STARTED_TAG: _start_time(pid),
    }


def process_is_gone(tags: dict[str, str]) -> bool:
    """Whether the process the tags name is known to be gone (False when it cannot be told:
    no tags, or another host)."""
    if tags.get(HOST_TAG) != socket.gethostname() or not tags.get(PID_TAG, "").isdigit():
        return False
    pid = int(tags[PID_TAG])
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        pass  # alive, under another user
    started = _start_time(pid)
    if started == "zombie":
        return True  # killed, not yet reaped by its parent
    recorded = tags.get(PROCESS_STARTED_TAG, "")
    return bool(recorded and started and started != recorded)  # the pid was reused


def find_dead_runs(
    instance: dg.DagsterInstance,
    lock_is_free: Callable[[str], bool],
    school: str | None = None,
) -> list[DeadRun]:
    """Unended runs on this host (of `school`, or of any) whose process is gone and whose
    school's lock is free."""
    tags = {HOST_TAG: socket.gethostname()}
    if school is not None:
        tags[PARTITION_TAG] = school
    dead = []
    for run in instance.get_runs(filters=dg.RunsFilter(statuses=UNENDED, tags=tags)):
        key = run.tags.get(PARTITION_TAG, "")
        if key and process_is_gone(run.tags) and lock_is_free(key):
            reason = (
                f"schools.{key}: this run's process (pid {run.tags[PID_TAG]} on "
                f"{run.tags[HOST_TAG]}) is gone and the school's lock is free: it was killed "
                "or crashed before it ended"
            )
            dead.append(DeadRun(run, key, reason))
    return dead


def mark_failed(instance: dg.DagsterInstance, dead: DeadRun, found_by: str) -> None:
    """End the dead run as failed, with the reason in its event log and its outcome tag."""
    test_run = dead.run.tags.get(TEST_RUN_TAG) == "true"
    instance.add_run_tags(dead.run.run_id, {OUTCOME_TAG: outcome_for(EXIT_FAILED, test_run)})
    instance.report_run_failed(dead.run, f"{dead.reason}; marked failed by {found_by}")


def _start_time(pid: int) -> str:
    """The process's start time in clock ticks since boot ("" where /proc is not there),
    or "zombie" for a process that has exited and awaits its parent."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return ""
    fields = stat.rsplit(")", 1)[-1].split()  # the command name may hold spaces
    if fields[0] in ("Z", "X"):
        return "zombie"
    return fields[19]
