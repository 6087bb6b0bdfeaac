"""Asset `platform_sync`: the changeset applied to the platform, and this run's outcome."""

import json
from pathlib import Path

import dagster as dg
import duckdb

from sis_pipeline.assets.job_names import TEST_RUN_JOB
from sis_pipeline.assets.run_tags import tag_org, tag_outcome
from sis_pipeline.assets.school_checks import school_check
from sis_pipeline.notify.report import report_path
from sis_pipeline.resources.schools import SchoolsResource, SyncOptions
from sis_pipeline.sink.apply_or_preview import APPLIED_STATUSES, apply_or_preview, is_test_run
from sis_pipeline.sink.operations import operations_in_apply_order
from sis_pipeline.state.outcome import exit_code_for
from sis_pipeline.state.reports import errors_file, write_owner_only_csv
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
        check_specs=[
            # Blocking: refused operations fail the step, after the outcome is recorded, so
            # the run ends failed as the command exits 1.
            school_check(
                "no_failed_operations",
                "platform_sync",
                partitions_def,
                "Every operation sent was applied; refused or undelivered ones are in "
                "sync.sync_log and the run's error report.",
                blocking=True,
            ),
            school_check(
                "no_held_changes",
                "platform_sync",
                partitions_def,
                "No change was held by a safety rule (duplicate guard, mass creates, blanked "
                "fields, deactivations); the metadata names the rule, the counts and the likely "
                "cause.",
            ),
        ],
    )
    def platform_sync(
        context: dg.AssetExecutionContext, schools: SchoolsResource, options: SyncOptions
    ):
        """The outcome of applying the changeset: every operation's result in `sync.sync_log`
        and one row per run in `sync.runs`. Operations go in batches of at most 500 (renames,
        then upserts, then deactivations) under idempotency keys derived from the changeset,
        so a retried or resumed run never applies an operation twice. In a test run nothing
        is sent and the counts say what would have been applied (`would_create`, ...).
        Refused operations fail the blocking check `no_failed_operations` (and so the run);
        held changes fail the WARN check `no_held_changes`, which names the rule, the counts
        and the likely cause. The run is tagged with its outcome."""
        key = context.partition_key
        school = schools.school(key)
        # Every run of the test-run job is a test run, whatever its launch config says.
        test_run = is_test_run(options.test_run or context.job_name == TEST_RUN_JOB, school)
        run_id = context.run.run_id
        tag_org(context, school)
        with schools.connect(key) as con:
            changeset_id, source_counts, hold_decision = con.execute(
                "SELECT changeset_id, source_counts, hold_decision FROM sync.changeset_context"
            ).fetchall()[0]
            outcomes = apply_or_preview(
                con,
                lambda: schools.platform_client(key),
                run_id,
                changeset_id,
                operations_in_apply_order(con),
                context.log.error,
                test_run=test_run,
                durable=schools.durable(key),
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
                json.loads(hold_decision),
            )
            schools.durable(key).run_saved(con, run_id)
            held_by_rule = con.execute(
                "SELECT hold_reason, action, count(*) FROM sync.changeset WHERE held "
                "GROUP BY ALL ORDER BY 1, 2"
            ).fetchall()
        failures = [(op, code, message) for op, status, code, message in outcomes if code]
        report = ""
        if failures:
            report = str(_write_error_report(schools, key, run_id, failures))
            context.log.error(f"{key}: {len(failures)} operations failed; see the error report")
        outcome = tag_outcome(context.instance, run_id, exit_code, test_run)
        yield dg.MaterializeResult(
            metadata={
                **_counts_metadata(summary),
                "exit_code": exit_code,
                "outcome": outcome,
                "changeset_id": changeset_id,
                "summary": dg.MetadataValue.json(summary),
                # Written by the job's hook once the run has ended.
                "run_report": dg.MetadataValue.path(str(report_path(schools.root, key, run_id))),
            }
        )
        yield dg.AssetCheckResult(
            check_name="no_failed_operations",
            passed=not failures,
            severity=dg.AssetCheckSeverity.ERROR,
            description=f"{len(failures)} operations failed; see the error report"
            if failures
            else None,
            metadata={"school": key, "num_failed": len(failures), "error_report": report},
        )
        decision = json.loads(hold_decision)
        yield dg.AssetCheckResult(
            check_name="no_held_changes",
            passed=summary["held"] == 0,
            severity=dg.AssetCheckSeverity.WARN,
            description=_held_line(summary["held"], held_by_rule) or None,
            metadata={
                "school": key,
                "num_held": summary["held"],
                "rules": ", ".join(sorted({rule for rule, _, _ in held_by_rule})),
                "held_by_rule": dg.MetadataValue.md(_held_table(held_by_rule)),
                "likely_causes": dg.MetadataValue.json(
                    [hold["reason"] for hold in decision["holds"]]
                ),
                "mass_change_limit": decision["limit"],
            },
        )

    return platform_sync


def _counts_metadata(summary: dict) -> dict:
    """The summary's counts; a test run's say what it would do: `would_create`, never created."""
    if not summary["test_run"]:
        return summary
    would = {counter: f"would_{action}" for action, counter in APPLIED_COUNTER.items()}
    return {would.get(name, name): value for name, value in summary.items()}


def _held_line(held: int, held_by_rule: list[tuple]) -> str:
    if not held:
        return ""
    parts = ", ".join(f"{n} {action} ({rule})" for rule, action, n in held_by_rule)
    return f"{held} changes held: {parts}"


def _held_table(held_by_rule: list[tuple]) -> str:
    lines = ["| rule | action | held |", "|---|---|---|"]
    return "\n".join(lines + [f"| {r} | {a} | {n} |" for r, a, n in held_by_rule])


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


def _write_error_report(schools: SchoolsResource, key: str, run_id: str, failures: list) -> Path:
    return write_owner_only_csv(
        errors_file(schools.root, key, run_id),
        ("host_id", "action", "error_code", "error_message"),
        ((op["host_id"], op["action"], code, msg) for op, code, msg in failures),
    )
