"""Asset `platform_sync`: the changeset applied to the platform, and this run's outcome."""

import json

import dagster as dg
import duckdb

from sis_pipeline.resources.schools import SchoolsResource, SyncOptions
from sis_pipeline.sink.apply_or_preview import APPLIED_STATUSES, apply_or_preview, is_test_run
from sis_pipeline.sink.operations import operations_in_apply_order
from sis_pipeline.state.outcome import exit_code_for
from sis_pipeline.state.reports import reports_folder, write_owner_only_csv
from sis_pipeline.state.run_history import record_run

APPLIED_COUNTER = {
    "create": "created",
    "update": "updated",
    "reactivate": "reactivated",
    "deactivate": "deactivated",
    "rename": "renamed",
}


def build_platform_sync_asset(partitions_def: dg.PartitionsDefinition) -> dg.AssetsDefinition:
    @dg.asset(
        key="platform_sync",
        deps=["changeset"],
        group_name="sync",
        partitions_def=partitions_def,
        kinds={"duckdb"},
    )
    def platform_sync(
        context: dg.AssetExecutionContext, schools: SchoolsResource, options: SyncOptions
    ) -> dg.MaterializeResult:
        """The outcome of applying the changeset: every operation's result in `sync.sync_log`
        and one row per run in `sync.runs`. Operations go in batches of at most 500 (renames,
        then upserts, then deactivations) under idempotency keys derived from the changeset,
        so a retried or resumed run never applies an operation twice. In a test run nothing
        is sent and the counts say what would have been applied."""
        key = context.partition_key
        school = schools.school(key)
        test_run = is_test_run(options.test_run, school)
        run_id = context.run.run_id
        with schools.connect(key) as con:
            changeset_id, source_counts = con.execute(
                "SELECT changeset_id, source_counts FROM sync.changeset_context"
            ).fetchall()[0]
            outcomes = apply_or_preview(
                con,
                lambda: schools.platform_client(key),
                run_id,
                changeset_id,
                operations_in_apply_order(con),
                context.log.error,
                test_run=test_run,
            )
            summary = _summary(con, key, test_run, outcomes)
            exit_code = exit_code_for(summary)
            record_run(
                con,
                run_id,
                test_run,
                exit_code,
                changeset_id,
                summary,
                json.loads(source_counts),
            )
        failures = [(op, code, message) for op, status, code, message in outcomes if code]
        if failures:
            _write_error_report(schools, key, run_id, failures)
            context.log.error(f"{key}: {len(failures)} operations failed; see the error report")
        return dg.MaterializeResult(
            metadata={
                **summary,
                "exit_code": exit_code,
                "changeset_id": changeset_id,
                "summary": dg.MetadataValue.json(summary),
            }
        )

    return platform_sync


def _summary(con: duckdb.DuckDBPyConnection, key: str, test_run: bool, outcomes: list) -> dict:
    counts = dict.fromkeys(APPLIED_COUNTER.values(), 0)
    failed = 0
    for op, status, code, _ in outcomes:
        if code:
            failed += 1
        elif status in APPLIED_STATUSES:
            counts[APPLIED_COUNTER[op["action"]]] += 1
    unchanged, held = con.execute(
        "SELECT count(*) FILTER (action = 'unchanged'), count(*) FILTER (held) FROM sync.changeset"
    ).fetchall()[0]
    quarantined = con.execute("SELECT count(*) FROM sync.quarantine").fetchall()[0][0]
    return {
        "school": key,
        "test_run": test_run,
        **counts,
        "unchanged": unchanged,
        "quarantined": quarantined,
        "held": held,
        "failed": failed,
    }


def _write_error_report(schools: SchoolsResource, key: str, run_id: str, failures: list) -> None:
    write_owner_only_csv(
        reports_folder(schools.root, key) / f"errors-{run_id}.csv",
        ("host_id", "action", "error_code", "error_message"),
        ((op["host_id"], op["action"], code, msg) for op, code, msg in failures),
    )
