"""Asset `reconciliation`: a returning school's old platform accounts carried to new host IDs."""

import dagster as dg
import duckdb

from sis_pipeline.assets.job_names import RECONCILE_JOB
from sis_pipeline.assets.reconciliation.reports import write_outcome_report, write_proposals_file
from sis_pipeline.assets.run_tags import tag_org, tag_outcome
from sis_pipeline.assets.school_checks import school_check
from sis_pipeline.config.mapping_file import read_mapping_file
from sis_pipeline.notify.report import report_path
from sis_pipeline.resources.reconcile_options import ReconcileOptions
from sis_pipeline.resources.schools import SchoolsResource
from sis_pipeline.sink.apply_or_preview import APPLIED_STATUSES, apply_or_preview, is_test_run
from sis_pipeline.sink.batch_apply import Outcome
from sis_pipeline.state.failures import RowsRefused
from sis_pipeline.state.outcome import EXIT_FAILED, exit_code_for
from sis_pipeline.state.reports import reports_folder
from sis_pipeline.transform.reconciliation import (
    ReconciliationSummary,
    build_reconciliation,
    record_renames,
    rename_operations,
)

SAMPLE_SIZE = 50


def build_reconciliation_asset(partitions_def: dg.PartitionsDefinition) -> dg.AssetsDefinition:
    @dg.asset(
        key="reconciliation",
        deps=["roster", "platform_users"],
        group_name="reconciliation",
        partitions_def=partitions_def,
        kinds={"duckdb"},
        # Not blocking: a refused row or a failed rename never lets the sync create a
        # duplicate (the duplicate guard holds the person), and everyone else still syncs.
        check_specs=[
            school_check(
                "mapping_rows_accepted",
                "reconciliation",
                partitions_def,
                "Every row of the school's mapping file was accepted. A warning: refused rows "
                "(duplicates, unknown IDs, conflicts) are in the report with their reason.",
            ),
            school_check(
                "renames_applied",
                "reconciliation",
                partitions_def,
                "Every planned rename was applied by the platform; failed ones are in the "
                "report and are sent again by the next reconciliation.",
            ),
        ],
    )
    def reconciliation(
        context: dg.AssetExecutionContext, schools: SchoolsResource, reconcile: ReconcileOptions
    ):
        """The school's accounts from before (under raw PowerSchool IDs or a former scheme)
        renamed to their prefixed host IDs with the platform's change_host_id, which keeps the
        account, its photos and its history. The plan (`sync.rename_plan`) is the mapping
        file's valid rows, plus unambiguous top-tier proposals where the school lets them apply
        without review; refused rows are in `sync.mapping_rejections` with their reason;
        matches for old accounts the file misses are in `sync.reconciliation_proposals` and a
        CSV for the school to review. Renames go in idempotent batches of at most 500, before
        the sync creates anyone; a test run sends nothing."""
        key = context.partition_key
        school = schools.school(key)
        test_run = is_test_run(reconcile.test_run, school)
        tag_org(context, school)
        mapping_path = reconcile.mapping_path(schools.root, key)
        mapping = read_mapping_file(mapping_path, reconcile.mapping_sha256) if mapping_path else []
        run_id = context.run.run_id
        with schools.connect(key) as con:
            summary = build_reconciliation(con, school, mapping)
            schools.durable(key).reconciliation_saved(con)
            operations = rename_operations(con)
            outcomes = apply_or_preview(
                con,
                lambda: schools.platform_client(key),
                run_id,
                summary.plan_id,
                operations,
                context.log.error,
                test_run=test_run,
                durable=schools.durable(key),
            )
            # Outcomes name each operation by host ID only (the sink keeps them slim).
            new_host_ids = {op["host_id"]: op["operation"]["new_host_id"] for op in operations}
            record_renames(
                con,
                [
                    (op["host_id"], new_host_ids[op["host_id"]])
                    for op, status, _, _ in outcomes
                    if status == "ok"
                ],
            )
            report_rows = _outcome_rows(con, outcomes)
            proposals = con.execute(
                "SELECT old_host_id, new_host_id, member_type, tier, evidence, ambiguous "
                "FROM sync.reconciliation_proposals WHERE NOT auto_applied "
                "ORDER BY tier, new_host_id, old_host_id"
            ).fetchall()
        folder = reports_folder(schools.root, key)
        files = {}
        if report_rows:
            files["report_file"] = str(write_outcome_report(folder, run_id, report_rows))
        if proposals:
            files["proposals_file"] = str(write_proposals_file(folder, run_id, proposals))
        failed = sum(1 for _, _, code, _ in outcomes if code)
        result = {
            "school": key,
            "test_run": test_run,
            "renamed": sum(1 for _, status, _, _ in outcomes if status in APPLIED_STATUSES),
            "rejected": summary.rejected,
            "proposed": summary.proposed,
            "failed": failed,
        }
        if failed:
            context.log.error(f"{key}: {failed} renames failed; see the reconciliation report")
        rejected_rows = [row for row in report_rows if row[3] == "rejected"][:SAMPLE_SIZE]
        exit_code = exit_code_for(result)
        yield dg.MaterializeResult(
            metadata={
                **result,
                "exit_code": exit_code,
                "outcome": tag_outcome(context.instance, run_id, exit_code, test_run),
                "plan_id": summary.plan_id,
                "already_renamed": summary.already_renamed,
                "auto_applied": summary.auto_applied,
                "ambiguous": summary.ambiguous,
                "dagster/row_count": summary.renames,
                "mapping_file": str(mapping_path) if mapping_path else "",
                "mapping_sha256": reconcile.mapping_sha256,
                **files,
                "by_reason": dg.MetadataValue.md(_counts_table(summary)),
                "rejected_rows": dg.MetadataValue.json(rejected_rows),
                "summary": dg.MetadataValue.json(result),
                # Written by the job's hook once the run has ended.
                "run_report": dg.MetadataValue.path(str(report_path(schools.root, key, run_id))),
            }
        )
        yield dg.AssetCheckResult(
            check_name="mapping_rows_accepted",
            passed=summary.rejected == 0,
            severity=dg.AssetCheckSeverity.WARN,
            metadata={
                "school": key,
                "num_rejected": summary.rejected,
                "sample_lines": ", ".join(str(row[0]) for row in rejected_rows[:20]),
            },
        )
        yield dg.AssetCheckResult(
            check_name="renames_applied",
            passed=failed == 0,
            metadata={
                "school": key,
                "num_failed": failed,
                "report_file": files.get("report_file", ""),
            },
        )
        if exit_code == EXIT_FAILED and context.job_name == RECONCILE_JOB:
            # The reconcile command exits 1, so its run fails too (what was applied is
            # recorded above). Not in the reconcile-and-sync job: the guard holds the people
            # of refused rows, and the rest of the school's sync should still go on.
            raise RowsRefused(
                f"{result['rejected']} mapping rows refused, {failed} renames failed; "
                "see the reconciliation report"
            )

    return reconciliation


def _outcome_rows(con: duckdb.DuckDBPyConnection, outcomes: list[Outcome]) -> list[tuple]:
    """(line, old, new, outcome, reason) per mapping row, then per auto-applied proposal."""
    applied = {op["host_id"]: (status, code) for op, status, code, _ in outcomes}
    rows = []
    planned = con.execute(
        "SELECT line, old_host_id, new_host_id, outcome, reason FROM mapping_checked "
        "UNION ALL SELECT NULL, old_host_id, new_host_id, 'rename', 'top_tier_proposal' "
        "FROM sync.rename_plan WHERE source = 'proposal' ORDER BY 1 NULLS LAST, 2"
    ).fetchall()
    for line, old, new, outcome, reason in planned:
        if outcome == "rename":
            status, code = applied.get(old, ("failed", "not_sent"))
            outcome = {"ok": "renamed", "would_apply": "would_rename"}.get(status, "failed")
            reason = code or reason
        rows.append((line, old, new, outcome, reason))
    return rows


def _counts_table(summary: ReconciliationSummary) -> str:
    lines = ["| kind | rows |", "|---|---|"]
    lines += [f"| rejected: {r} | {n} |" for r, n in sorted(summary.rejected_by_reason.items())]
    lines += [f"| proposed: tier {t} | {n} |" for t, n in sorted(summary.proposed_by_tier.items())]
    return "\n".join(lines)
