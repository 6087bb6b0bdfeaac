"""Asset checks are per school: one school's run never shows as another school's result."""

from __future__ import annotations

import dagster as dg
from dagster._core.event_api import PartitionKeyFilter
from dagster._core.storage.asset_check_execution_record import AssetCheckExecutionRecordStatus

from sis_pipeline_tests.schools_files import TWO_SCHOOLS
from sis_pipeline_tests.sync_harness import sync_harness

CHECKS = [
    dg.AssetCheckKey(dg.AssetKey("roster"), "roster_rows_valid"),
    dg.AssetCheckKey(dg.AssetKey("roster"), "no_quarantined_rows"),
    dg.AssetCheckKey(dg.AssetKey("platform_sync"), "no_failed_operations"),
    dg.AssetCheckKey(dg.AssetKey("platform_sync"), "no_held_changes"),
]


def latest(instance: dg.DagsterInstance, school: str) -> dict[str, tuple[str, bool, str]]:
    """check name -> (status, passed, metadata school) of the school's latest evaluation."""
    records = instance.event_log_storage.get_latest_asset_check_execution_by_key(
        CHECKS, partition_filter=PartitionKeyFilter(key=school)
    )
    found = {}
    for key, record in records.items():
        assert record.partition == school
        evaluation = record.event.dagster_event.event_specific_data
        found[key.name] = (
            record.status,
            evaluation.passed,
            evaluation.metadata["school"].value,
        )
    return found


def test_a_run_of_one_school_leaves_the_other_school_checks_alone(tmp_path):
    with sync_harness(tmp_path) as harness:
        riverdale = harness.sync("riverdale")
        assert riverdale.exit_code == 0, riverdale.errors
        assert riverdale.summary["quarantined"] > 0
        hillcrest_before = latest(harness.instance, "hillcrest")
        assert hillcrest_before == {}  # riverdale's run is not hillcrest's result

        # hillcrest with nothing to quarantine: its roster checks both pass
        harness.rewrite_schools(
            TWO_SCHOOLS.replace("member_types: [student, teacher]", "member_types: [teacher]")
        )
        hillcrest = harness.sync("hillcrest")
        assert hillcrest.exit_code == 0, hillcrest.errors

        ok = AssetCheckExecutionRecordStatus.SUCCEEDED
        failed = AssetCheckExecutionRecordStatus.FAILED
        assert latest(harness.instance, "riverdale") == {
            "roster_rows_valid": (ok, True, "riverdale"),
            "no_quarantined_rows": (failed, False, "riverdale"),
            "no_failed_operations": (ok, True, "riverdale"),
            "no_held_changes": (ok, True, "riverdale"),
        }
        # hillcrest's passing run is the latest, yet riverdale's quarantine still shows failed.
        assert hillcrest.summary["quarantined"] == 0
        assert latest(harness.instance, "hillcrest") == {
            "roster_rows_valid": (ok, True, "hillcrest"),
            "no_quarantined_rows": (ok, True, "hillcrest"),
            "no_failed_operations": (ok, True, "hillcrest"),
            "no_held_changes": (ok, True, "hillcrest"),
        }
