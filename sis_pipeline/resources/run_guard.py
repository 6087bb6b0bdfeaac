"""What every run of a school does first: take the school's lock, or fail with one line."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import dagster as dg

from sis_pipeline.resources.dead_runs import (
    OUTCOME_TAG,
    PID_TAG,
    TEST_RUN_TAG,
    find_dead_runs,
    find_runs_without_session,
    mark_failed,
    process_tags,
)
from sis_pipeline.resources.school_lock import SchoolBusy, school_lock
from sis_pipeline.state.durable_store import SharedState, shared_state
from sis_pipeline.state.outcome import EXIT_FAILED, outcome_for


@contextmanager
def school_run(
    instance: dg.DagsterInstance, run: dg.DagsterRun, school_dir: Path, key: str
) -> Iterator[None]:
    """Hold the school's lock for the run; record the run's process in its tags (the command
    line does at creation, a launched run's worker does here), and end the school's dead runs.
    A busy school fails the run with SchoolBusy, whose one line Dagster shows as the reason."""
    lock = ExitStack()
    try:
        lock.enter_context(school_lock(school_dir, key))
    except SchoolBusy:
        test_run = run.tags.get(TEST_RUN_TAG) == "true"
        instance.add_run_tags(run.run_id, {OUTCOME_TAG: outcome_for(EXIT_FAILED, test_run)})
        raise
    with lock:
        if run.tags.get(PID_TAG) != str(os.getpid()):
            instance.add_run_tags(run.run_id, process_tags())
        # This run holds the school's lock, so no other run of the school is alive with it.
        for dead in find_dead_runs(instance, lambda _: True, key):
            if dead.run.run_id != run.run_id:
                mark_failed(instance, dead, f"run {run.run_id}")
        yield


@contextmanager
def shared_school_run(
    instance: dg.DagsterInstance, run: dg.DagsterRun, key: str, url: str
) -> Iterator[SharedState]:
    """The school's state in PostgreSQL for the run, under the school's lock there (recorded
    with the run's session); the school's runs on any host whose session is gone are ended."""
    with shared_state(url, key, run.run_id) as shared:
        # This run holds the school's lock across machines: any other run of the school that
        # recorded a session has lost it.
        for dead in find_runs_without_session(instance, shared.ended_sessions, key):
            if dead.run.run_id != run.run_id:
                mark_failed(instance, dead, f"run {run.run_id}")
        yield shared
