"""Asset `roster`: who this school syncs, one row per prefixed host ID, with its checks."""

import dagster as dg

from sis_pipeline.assets.school_checks import school_check
from sis_pipeline.resources.schools import SchoolsResource, SyncOptions
from sis_pipeline.sources.powerschool.settings import ALL_TABLES
from sis_pipeline.transform.roster import build_roster
from sis_pipeline.transform.validation import validate_roster_table

SAMPLE_SIZE = 20


def build_roster_asset(partitions_def: dg.PartitionsDefinition) -> dg.AssetsDefinition:
    @dg.asset(
        key="roster",
        deps=[dg.AssetKey(["powerschool", table]) for table in ALL_TABLES],
        group_name="roster",
        partitions_def=partitions_def,
        kinds={"duckdb", "pandera"},
        check_specs=[
            school_check(
                "roster_rows_valid",
                "roster",
                partitions_def,
                "Every roster row fits the platform's user rules (pandera): unique, well-formed "
                "host IDs, names, graduation years, grades. Blocking: a failure stops the sync "
                "before anything is sent.",
                blocking=True,
            ),
            school_check(
                "no_quarantined_rows",
                "roster",
                partitions_def,
                "No PowerSchool row was quarantined. A warning: quarantined rows are not "
                "sent, the rest of the school syncs; see by_reason and the sample IDs.",
            ),
        ],
    )
    def roster(context: dg.AssetExecutionContext, schools: SchoolsResource, options: SyncOptions):
        """The school's members as the platform should know them: students, teachers and
        parents in scope per the school's settings, under prefixed host IDs (S/T/P + the
        PowerSchool ID, because raw IDs of the three tables overlap), with names trimmed and
        NFC-normalised and optional fields only when enabled. Rows that break a rule are in
        `sync.quarantine` with a reason instead, and are never sent."""
        key = context.partition_key
        school = schools.school(key)
        with schools.connect(key) as con:
            summary = build_roster(con, school, options.today())
            quarantine_sample = [
                row[0]
                for row in con.execute(
                    "SELECT coalesce(host_id, source_table || ':' || coalesce(source_id, '?')) "
                    f"FROM sync.quarantine ORDER BY 1 LIMIT {SAMPLE_SIZE}"
                ).fetchall()
            ]
            check = validate_roster_table(con, sample=SAMPLE_SIZE)
        yield dg.MaterializeResult(
            metadata={
                "dagster/row_count": check.rows,
                **{f"{member_type}s": n for member_type, n in summary.members.items()},
                "quarantined": summary.quarantined,
            }
        )
        yield dg.AssetCheckResult(
            check_name="roster_rows_valid",
            passed=not check.failures,
            metadata={
                "school": key,
                "num_failures": check.failures,
                "sample_host_ids": ", ".join(h for h in check.sample_host_ids if h),
            },
        )
        yield dg.AssetCheckResult(
            check_name="no_quarantined_rows",
            passed=summary.quarantined == 0,
            severity=dg.AssetCheckSeverity.WARN,
            metadata={
                "school": key,
                "num_quarantined": summary.quarantined,
                "by_reason": dg.MetadataValue.md(_reason_table(summary.quarantine_reasons)),
                "sample_ids": ", ".join(quarantine_sample),
            },
        )

    return roster


def _reason_table(reasons: dict[str, int]) -> str:
    lines = ["| reason | rows |", "|---|---|"]
    lines += [f"| {reason} | {count} |" for reason, count in sorted(reasons.items())]
    return "\n".join(lines)
