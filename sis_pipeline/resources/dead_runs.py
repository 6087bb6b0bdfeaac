"""Runs that died without ending: found by their process, marked failed, so their school goes on.

A run killed with SIGKILL (or lost with its machine) never reports its end, so Dagster keeps it
STARTED; the run queue's one-run-per-school limit then holds every later run of that school.
Each run records where it runs as tags when it takes its school's lock: the host, the pid and
the process's start time (so a pid the system reused later is not taken for the run). A run on
this host is dead when that process is gone and its school's lock is free; it is then marked
failed with the reason. The next run of the school does this before it starts, and the
`dead_runs` sensor does it for every school on the daemon's host.

Across machines (the state in PostgreSQL, `SIS_PIPELINE_STATE_URL`) a run's process cannot be
seen from another host, but its session on the state database can: each run holds its
school's advisory lock there on its own connection from start to end and records that session
(`state/school_sessions.py`). PostgreSQL frees the lock when that connection goes (the process
killed at once; a machine gone, within about a minute of keepalives). A run, on any host,
whose recorded session no longer holds the lock is dead: the school's next run finds it once
it holds the lock, and the `dead_runs` sensor on every tick. A live run holds its lock, so it
is never taken for dead; a run in its first second, before it took the lock, is not judged.

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


def find_runs_without_session(
    instance: dg.DagsterInstance,
    ended_sessions: Callable[[list[str]], dict[str, str]],
    school: str | None = None,
) -> list[DeadRun]:
    """Unended runs on any host (of `school`, or of any) whose session on the state database
    is known to be gone; `ended_sessions` maps run IDs to why (`SharedState.ended_sessions`)."""
    tags = {PARTITION_TAG: school} if school is not None else {}
    runs = [
        run
        for run in instance.get_runs(filters=dg.RunsFilter(statuses=UNENDED, tags=tags))
        if run.tags.get(PARTITION_TAG)
    ]
    ended = ended_sessions([run.run_id for run in runs])
    dead = []
    for run in runs:
        if run.run_id in ended:
            key = run.tags[PARTITION_TAG]
            host = run.tags.get(HOST_TAG, "an unknown host")
            reason = f"schools.{key}: this run on {host} died before it ended: {ended[run.run_id]}"
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
