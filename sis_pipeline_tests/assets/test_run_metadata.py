"""What a sync run shows in Dagster: asset metadata, check results, and no personal data."""

from __future__ import annotations

import dagster as dg

from sis_pipeline_tests.schools_files import RIVERDALE_WITH_PERSONAL_FIELDS
from sis_pipeline_tests.sync_harness import sync_harness


def test_checks_and_metadata_report_counts_and_ids_only(tmp_path):
    with sync_harness(tmp_path, schools=RIVERDALE_WITH_PERSONAL_FIELDS) as harness:
        outcome = harness.sync()
        assert outcome.exit_code == 0, outcome.errors
        run_id = outcome.run_id
        instance = harness.instance
        students = harness.sandbox.district.tables["students"]
        birth_dates = set(students["dob"].dropna())
        emails = set(harness.sandbox.district.tables["emailaddress"]["emailaddress"].dropna())

        evaluations = [
            entry.dagster_event.event_specific_data
            for entry in instance.all_logs(
                run_id, of_type=dg.DagsterEventType.ASSET_CHECK_EVALUATION
            )
        ]
        checks = {evaluation.check_name: evaluation for evaluation in evaluations}
        assert checks["roster_rows_valid"].passed
        quarantine = checks["no_quarantined_rows"]
        assert not quarantine.passed
        assert quarantine.metadata["num_quarantined"].value == outcome.summary["quarantined"] > 0
        sample = quarantine.metadata["sample_ids"].value
        assert sample and all(part.strip()[0] in "S" or ":" in part for part in sample.split(","))

        changeset = instance.get_latest_materialization_event(
            dg.AssetKey("changeset")
        ).asset_materialization
        table = changeset.metadata["by_member_type"].value
        for member_type in ("student", "teacher", "parent"):
            assert f"| create | {member_type} |" in table
        assert changeset.metadata["create"].value == outcome.summary["created"]

        every_log_line = "\n".join(
            str(entry.user_message) + str(entry.dagster_event and entry.dagster_event.message)
            for entry in instance.all_logs(run_id)
        )
        every_metadata = "\n".join(
            str(entry.dagster_event.event_specific_data)
            for entry in instance.all_logs(run_id)
            if entry.dagster_event is not None
        )
        for value in list(birth_dates)[:200] + list(emails)[:200]:
            assert value not in every_log_line and value not in every_metadata
