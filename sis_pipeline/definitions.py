"""The Dagster definitions: the assets partitioned by school, the jobs, schedules and sensor."""

from __future__ import annotations

import dagster as dg
from dagster_dlt import DagsterDltResource

from sis_pipeline.assets.changeset.changeset import build_changeset_asset
from sis_pipeline.assets.extract.powerschool_tables import build_powerschool_assets
from sis_pipeline.assets.job_names import (
    RECONCILE_AND_SYNC_JOB,
    RECONCILE_JOB,
    SYNC_JOB,
    TEST_RUN_JOB,
)
from sis_pipeline.assets.platform.platform_users import build_platform_users_asset
from sis_pipeline.assets.reconciliation.reconciliation import build_reconciliation_asset
from sis_pipeline.assets.roster.roster import build_roster_asset
from sis_pipeline.assets.run_tags import tag_failed_run
from sis_pipeline.assets.sink.platform_sync import build_platform_sync_asset
from sis_pipeline.automation.dead_run_sensor import build_dead_run_sensor
from sis_pipeline.automation.mapping_sensor import build_mapping_sensor
from sis_pipeline.automation.run_notifications import (
    build_notification_sensors,
    notification_hooks,
)
from sis_pipeline.automation.weekly_schedule import build_weekly_schedules
from sis_pipeline.config.schools_file import SchoolsConfig, load_schools_config
from sis_pipeline.resources.reconcile_options import ReconcileOptions
from sis_pipeline.resources.schools import SchoolsResource, SyncOptions
from sis_pipeline.state.outcome import TEST_RUN_TAG


def build_definitions(
    config: SchoolsConfig, schools: SchoolsResource | None = None
) -> dg.Definitions:
    partitions = dg.StaticPartitionsDefinition(sorted(config.schools))
    sync_assets = [
        build_powerschool_assets(partitions),
        build_roster_asset(partitions),
        build_platform_users_asset(partitions),
        build_changeset_asset(partitions),
        build_platform_sync_asset(partitions),
    ]
    reconciliation = build_reconciliation_asset(partitions)
    sync_job = dg.define_asset_job(
        SYNC_JOB,
        selection=dg.AssetSelection.assets(*sync_assets),
        description="Sync one school now: extract, validate, build the roster and changeset, "
        "apply it. Pick the school as the partition.",
        hooks={tag_failed_run, *notification_hooks("platform_sync", "sync")},
    )
    # A test run from the UI is a job of its own, so nobody has to write launchpad YAML for it.
    # platform_sync treats every run of it as a test run; the preset config shows as much in
    # the launchpad.
    test_run_job = dg.define_asset_job(
        TEST_RUN_JOB,
        selection=dg.AssetSelection.assets(*sync_assets),
        config={"resources": {"options": {"config": {"test_run": True}}}},
        run_tags={TEST_RUN_TAG: "true"},
        description="Test run of one school: extract, validate, build the roster and "
        "changeset, report what a sync would do, and send nothing to the platform.",
        hooks={tag_failed_run, *notification_hooks("platform_sync", "sync")},
    )
    reconcile_job = dg.define_asset_job(
        RECONCILE_JOB,
        selection=dg.AssetSelection.assets(reconciliation).upstream(),
        description="Returning school: rename its old platform accounts from its mapping file.",
        hooks={tag_failed_run, *notification_hooks("reconciliation", "reconcile")},
    )
    # Backfill this over the returning schools' partitions: the changeset depends on the
    # reconciliation, so each school's renames are applied before its sync creates anyone.
    reconcile_and_sync_job = dg.define_asset_job(
        RECONCILE_AND_SYNC_JOB,
        selection=dg.AssetSelection.assets(*sync_assets, reconciliation),
        description="Returning school's first sync: reconcile its old accounts, then sync.",
        hooks={tag_failed_run, *notification_hooks("platform_sync", "sync")},
    )
    return dg.Definitions(
        assets=[*sync_assets, reconciliation],
        jobs=[sync_job, test_run_job, reconcile_job, reconcile_and_sync_job],
        schedules=build_weekly_schedules(config, sync_job),
        sensors=[
            build_mapping_sensor(reconcile_job, sorted(config.schools)),
            build_dead_run_sensor(),
            *build_notification_sensors(
                {
                    SYNC_JOB: "sync",
                    TEST_RUN_JOB: "sync",
                    RECONCILE_JOB: "reconcile",
                    RECONCILE_AND_SYNC_JOB: "sync",
                }
            ),
        ],
        resources={
            "dlt": DagsterDltResource(),
            "schools": schools or SchoolsResource(),
            "options": SyncOptions(),
            "reconcile": ReconcileOptions(),
        },
        # Steps of one school share its DuckDB file, which allows one writer at a time.
        executor=dg.in_process_executor,
    )


@dg.definitions
def defs() -> dg.Definitions:
    return build_definitions(load_schools_config())
