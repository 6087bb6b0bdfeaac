"""The reconciliation's place in the definitions, checked by shape."""

from __future__ import annotations

import dagster as dg

from sis_pipeline.definitions import (
    RECONCILE_AND_SYNC_JOB,
    RECONCILE_JOB,
    SYNC_JOB,
    build_definitions,
)
from sis_pipeline_tests.schools_files import TWO_BARE_SCHOOLS

RECONCILIATION = dg.AssetKey("reconciliation")


def job_assets(defs: dg.Definitions, name: str) -> set[str]:
    job = defs.resolve_job_def(name)
    return {key.to_user_string() for key in job.asset_layer.executable_asset_keys}


def test_renames_come_before_the_changeset_and_only_their_jobs_run_them(schools_file):
    defs = build_definitions(schools_file(TWO_BARE_SCHOOLS))
    graph = defs.resolve_asset_graph()
    assert graph.get(RECONCILIATION).parent_keys == {
        dg.AssetKey("roster"),
        dg.AssetKey("platform_users"),
    }
    # In a run of both, the changeset waits for the renames: nobody is created twice.
    assert RECONCILIATION in graph.get(dg.AssetKey("changeset")).parent_keys

    reconcile = job_assets(defs, RECONCILE_JOB)
    sync = job_assets(defs, SYNC_JOB)
    assert "reconciliation" in reconcile and "reconciliation" not in sync
    assert {"changeset", "platform_sync"}.isdisjoint(reconcile)
    assert {"roster", "platform_users", "powerschool/students"} <= reconcile
    assert job_assets(defs, RECONCILE_AND_SYNC_JOB) == reconcile | sync
    for name in (RECONCILE_JOB, RECONCILE_AND_SYNC_JOB):
        partitions = defs.resolve_job_def(name).partitions_def
        assert partitions.get_partition_keys() == ["hillcrest", "riverdale"]
