"""A run's facts for its e-mail and report, read from what the run recorded.

The run's Dagster record gives the school, the materialisation metadata of `platform_sync`
and `reconciliation` (the --json counts and exit codes), rows extracted per table, step
times and why a step failed. The school's DuckDB file gives the rows behind the counts
(holds, quarantined rows, refused operations), read only for the assets this run
materialised, and only from inside the run: another process opening the file could stop the
school's next run from writing it.
"""

from __future__ import annotations

from collections.abc import Callable

import dagster as dg
import duckdb

from sis_pipeline.config.schools_file import SchoolsConfig
from sis_pipeline.notify import school_tables
from sis_pipeline.notify.facts import RunFacts, StepTiming, run_url
from sis_pipeline.notify.report import report_path
from sis_pipeline.resources.schools import SchoolsResource
from sis_pipeline.sink.apply_or_preview import is_test_run
from sis_pipeline.state.failures import failed_check, failure_line
from sis_pipeline.state.outcome import (
    EXIT_FAILED,
    EXIT_OK,
    PARTITION_TAG,
    TEST_RUN_TAG,
    outcome_for,
    worst,
)
from sis_pipeline.state.reports import errors_file

RECONCILE_FILES = ("report_file", "proposals_file")


def run_facts(
    instance: dg.DagsterInstance,
    run: dg.DagsterRun,
    config: SchoolsConfig,
    schools: SchoolsResource,
    kind: str,
    log: Callable[[str], None],
    read_school_database: bool,
) -> RunFacts:
    key = run.tags[PARTITION_TAG]
    metadata = materialized_metadata(instance, run.run_id)
    sync = metadata.get("platform_sync", {})
    reconcile = metadata.get("reconciliation", {})
    test_run = _test_run(run, config, key, sync or reconcile)
    failure = failure_reason(instance, run.run_id)
    if not failure and run.status == dg.DagsterRunStatus.CANCELED:
        failure = "the run was canceled"
    codes = [int(m["exit_code"]) for m in (sync, reconcile) if "exit_code" in m]
    exit_code = EXIT_FAILED if failure or not codes else worst(EXIT_OK, *codes)
    files = {name: reconcile[name] for name in RECONCILE_FILES if name in reconcile}
    errors = errors_file(schools.root, key, run.run_id)
    if errors.exists():
        files["errors_file"] = str(errors)
    facts = dict(
        school=key,
        run_id=run.run_id,
        job=run.job_name,
        kind=kind,
        outcome=outcome_for(exit_code, test_run),
        test_run=test_run,
        failure=failure,
        sync_counts=_counts(sync.get("summary")),
        reconcile_counts=_counts(reconcile.get("summary")),
        extraction={
            name.split("/", 1)[1]: int(m["rows_loaded"])
            for name, m in metadata.items()
            if name.startswith("powerschool/") and "rows_loaded" in m
        },
        timings=step_timings(instance, run.run_id),
        files=files,
        report_path=str(report_path(schools.root, key, run.run_id)),
        run_url=run_url(config.notifications and config.notifications.dagster_url, run.run_id),
    )
    if read_school_database:
        facts |= _from_school_database(schools, key, run.run_id, set(metadata), log)
    return RunFacts(**facts)


def materialized_metadata(instance: dg.DagsterInstance, run_id: str) -> dict[str, dict]:
    """Asset key (as `a/b`) -> metadata values of its materialisation in this run."""
    found = {}
    for entry in instance.all_logs(run_id, of_type=dg.DagsterEventType.ASSET_MATERIALIZATION):
        materialization = entry.dagster_event.event_specific_data.materialization
        found[materialization.asset_key.to_user_string()] = {
            name: value.value for name, value in materialization.metadata.items()
        }
    return found


def failure_reason(instance: dg.DagsterInstance, run_id: str) -> str:
    """One line: the first step that failed and why, else why the run itself failed."""
    failed_steps = instance.all_logs(run_id, of_type=dg.DagsterEventType.STEP_FAILURE)
    for entry in failed_steps:
        event = entry.dagster_event
        if not failed_check(event.step_failure_data.error):
            return failure_line(event.step_key, event.step_failure_data.error)
    if failed_steps:
        return ""  # only refused operations: the counts and the failed operations say it
    for entry in instance.all_logs(run_id, of_type=dg.DagsterEventType.RUN_FAILURE):
        message = (entry.dagster_event.message or entry.user_message or "").strip()
        return message.splitlines()[0] if message else "the run failed"
    return ""


def step_timings(instance: dg.DagsterInstance, run_id: str) -> list[StepTiming]:
    stats = sorted(instance.get_run_step_stats(run_id), key=lambda s: s.start_time or 0)
    return [
        StepTiming(
            s.step_key,
            s.status.value.lower() if s.status else "not finished",
            s.end_time - s.start_time if s.start_time and s.end_time else None,
        )
        for s in stats
    ]


def _test_run(run: dg.DagsterRun, config: SchoolsConfig, key: str, metadata: dict) -> bool:
    if "test_run" in metadata:
        return bool(metadata["test_run"])
    resources = (run.run_config or {}).get("resources", {})
    asked = any(
        bool(resources.get(name, {}).get("config", {}).get("test_run"))
        for name in ("options", "reconcile")
    )
    asked = asked or run.tags.get(TEST_RUN_TAG) == "true"
    return is_test_run(asked, config.school(key))


def _counts(summary: object) -> dict[str, int] | None:
    if not isinstance(summary, dict):
        return None
    return {
        name: value
        for name, value in summary.items()
        if isinstance(value, int) and not isinstance(value, bool)
    }


def _from_school_database(
    schools: SchoolsResource,
    key: str,
    run_id: str,
    materialized: set[str],
    log: Callable[[str], None],
) -> dict:
    path = schools.database_path(key)
    if not path.exists():
        return {}
    try:
        with duckdb.connect(str(path), read_only=True) as con:
            found: dict = {"failed_operations": school_tables.failed_operations(con, run_id)}
            if "roster" in materialized:
                found["quarantined"] = school_tables.quarantined(con)
            if "changeset" in materialized:
                found["by_action"] = school_tables.by_action(con, run_id)
                found["held"] = school_tables.held_changes(con)
                found["hold_reasons"] = school_tables.hold_reasons(con)
            if "reconciliation" in materialized:
                found["rejected_rows"] = school_tables.rejected_mapping_rows(con)
            return found
    except duckdb.Error as error:
        log(f"{key}: the run report lacks the school's rows: {str(error).splitlines()[0]}")
        return {}
