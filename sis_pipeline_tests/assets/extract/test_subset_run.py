"""A run that materialises some of the school's PowerSchool tables reads only those."""

from __future__ import annotations

import dagster as dg

from sis_pipeline.definitions import build_definitions
from sis_pipeline_tests.sync_harness import sync_harness


def test_a_subset_run_reads_only_its_tables(tmp_path):
    with sync_harness(tmp_path) as harness:
        defs = build_definitions(harness.config, harness.schools)
        harness.sandbox.powerschool.reset_counts()
        done = defs.resolve_implicit_global_asset_job_def().execute_in_process(
            partition_key="riverdale",
            instance=harness.instance,
            asset_selection=[dg.AssetKey(["powerschool", "students"])],
        )
        assert done.success
        materialized = {
            entry.dagster_event.asset_key.to_user_string()
            for entry in harness.instance.all_logs(
                done.run_id, of_type=dg.DagsterEventType.ASSET_MATERIALIZATION
            )
        }
        assert materialized == {"powerschool/students"}
        tables = {
            path.split("/")[4]
            for _, path, _ in harness.sandbox.powerschool.requests
            if path.startswith("/ws/schema/table/")
        }
        # Riverdale syncs parents and e-mails too; none of those tables was asked for.
        assert tables == {"students"}
