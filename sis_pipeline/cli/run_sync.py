"""Run one school's sync as a Dagster run in the instance at DAGSTER_HOME; read its outcome."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import dagster as dg

from sis_pipeline.cli.dagster_home import dagster_instance
from sis_pipeline.config.schools_file import ConfigError, SchoolsConfig, require_secrets
from sis_pipeline.definitions import SYNC_JOB, build_definitions
from sis_pipeline.resources.dead_runs import process_tags
from sis_pipeline.resources.school_lock import LOCK_FILE, SchoolBusy, school_lock
from sis_pipeline.resources.schools import SchoolsResource, owner_only_files
from sis_pipeline.sink.apply_or_preview import is_test_run
from sis_pipeline.state.failures import failed_check, failure_line, root_cause
from sis_pipeline.state.outcome import (
    COMMAND_TAG,
    EXIT_FAILED,
    EXIT_OK,
    ORG_TAG,
    OUTCOME_TAG,
    TEST_RUN_TAG,
    outcome_for,
)

__all__ = ["SchoolBusy", "dagster_instance", "execute_for_school", "run_sync", "step_errors"]


@dataclass
class SyncOutcome:
    exit_code: int
    summary: dict | None = None
    errors: list[str] = field(default_factory=list)
    run_id: str | None = None
    warnings: list[str] = field(default_factory=list)


def execute_for_school(
    config: SchoolsConfig,
    key: str,
    schools: SchoolsResource,
    job_name: str,
    resource_config: dict[str, dict],
    command: str,
    test_run: bool,
    instance: dg.DagsterInstance | None,
    verbose: bool = False,
) -> dg.ExecuteInProcessResult:
    """One run of `job_name` for the school, in the instance at DAGSTER_HOME.

    The school's lock is taken before the run is created, so a busy school is refused with
    SchoolBusy and no failed run; the run's own resource then holds the same lock (it is
    re-entrant in this thread) and records this process in the run's tags.

    Dagster's console prints each failed step with its stack trace; the command prints one
    line per error instead, so the console stays quiet unless `verbose`. The traces stay in
    the run's event log (the UI)."""
    require_secrets(config, key)
    job = build_definitions(config, schools).resolve_job_def(job_name)
    instance = instance or dagster_instance()
    with owner_only_files(), _school_lock(schools, key):
        result = job.execute_in_process(
            partition_key=key,
            instance=instance,
            run_config={
                "resources": {name: {"config": c} for name, c in resource_config.items()},
                "loggers": {
                    "console": {"config": {"log_level": "WARNING" if verbose else "CRITICAL"}}
                },
            },
            raise_on_error=False,
            tags={
                COMMAND_TAG: command,
                TEST_RUN_TAG: str(test_run).lower(),
                **process_tags(),
            },
        )
    run = instance.get_run_by_id(result.run_id)
    if run and OUTCOME_TAG not in run.tags:
        # Failed before any step could say so (a resource that would not start).
        school = config.school(key)
        code = EXIT_FAILED if not result.success else EXIT_OK
        instance.add_run_tags(
            result.run_id,
            {ORG_TAG: school.org_id, OUTCOME_TAG: outcome_for(code, is_test_run(test_run, school))},
        )
    return result


@contextmanager
def _school_lock(schools: SchoolsResource, key: str) -> Iterator[None]:
    try:
        school_dir = schools.school_dir(key)
        (school_dir / LOCK_FILE).touch(mode=0o600)
    except OSError as error:
        raise ConfigError(
            [f"data dir {schools.root}: cannot write there ({error.strerror or error})"]
        ) from None
    with school_lock(school_dir, key):
        yield


def run_sync(
    config: SchoolsConfig,
    key: str,
    *,
    schools: SchoolsResource,
    test_run: bool = False,
    allow_mass_deactivation: bool = False,
    allow_mass_changes: bool = False,
    as_of_date: str = "",
    instance: dg.DagsterInstance | None = None,
    verbose: bool = False,
) -> SyncOutcome:
    options = {
        "test_run": test_run,
        "allow_mass_deactivation": allow_mass_deactivation,
        "allow_mass_changes": allow_mass_changes,
        "as_of_date": as_of_date,
    }
    instance = instance or dagster_instance()
    result = execute_for_school(
        config, key, schools, SYNC_JOB, {"options": options}, "sync", test_run, instance, verbose
    )
    exit_code, metadata, errors = run_outcome(result, "platform_sync")
    warnings = [] if verbose else run_warnings(instance, result.run_id)
    return SyncOutcome(exit_code, metadata.get("summary"), errors, result.run_id, warnings)


def run_outcome(
    result: dg.ExecuteInProcessResult, asset_key: str
) -> tuple[int, dict[str, Any], list[str]]:
    """The run's exit code, the metadata values of its materialization of `asset_key` ({}
    without one) and its step errors. A failed step or no materialization makes it 1."""
    metadata: dict[str, Any] = {}
    for event in result.get_asset_materialization_events():
        materialization = event.materialization
        if materialization.asset_key == dg.AssetKey(asset_key):
            metadata = {name: value.value for name, value in materialization.metadata.items()}
    errors = step_errors(result)
    if errors or not result.success or not metadata:
        return EXIT_FAILED, metadata, errors
    return int(metadata["exit_code"]), metadata, errors


def run_warnings(instance: dg.DagsterInstance, run_id: str) -> list[str]:
    """The first line of each warning the run's assets logged (the quiet console's share)."""
    return [
        entry.user_message.strip().splitlines()[0]
        for entry in instance.all_logs(run_id)
        if entry.level == logging.WARNING and entry.dagster_event is None and entry.user_message
    ]


def step_errors(result: dg.ExecuteInProcessResult) -> list[str]:
    """One line per failed step; one line for a run that failed outside its steps."""
    errors = []
    failed_checks = False
    for event in result.all_events:
        if event.event_type_value == "RESOURCE_INIT_FAILURE":
            # Our resources fail in our words (say, the school runs on another worker).
            cause = root_cause(event.engine_event_data.error)
            message = cause.message.strip().splitlines()[0] if cause else "resources failed"
            errors.append(message.split(": ", 1)[-1])
            continue
        if event.event_type_value != "STEP_FAILURE":
            continue
        if failed_check(event.step_failure_data.error):
            # Refused operations: the summary's failed count says it in our words.
            failed_checks = True
            continue
        errors.append(failure_line(event.step_key, event.step_failure_data.error))
    if not errors and not failed_checks and not result.success:
        errors.append(f"run {result.run_id} failed; its event log in the Dagster UI says why")
    return errors
