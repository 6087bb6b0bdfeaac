"""The Dagster definitions: the sync's assets partitioned by school, its job and schedules."""

from __future__ import annotations

import dagster as dg
from dagster_dlt import DagsterDltResource

from sis_pipeline.assets.changeset.changeset import build_changeset_asset
from sis_pipeline.assets.extract.powerschool_tables import build_powerschool_assets
from sis_pipeline.assets.platform.platform_users import build_platform_users_asset
from sis_pipeline.assets.roster.roster import build_roster_asset
from sis_pipeline.assets.sink.platform_sync import build_platform_sync_asset
from sis_pipeline.automation.weekly_schedule import build_weekly_schedules
from sis_pipeline.config.schools_file import SchoolsConfig, load_schools_config
from sis_pipeline.resources.schools import SchoolsResource, SyncOptions

SYNC_JOB = "school_sync"


def build_definitions(
    config: SchoolsConfig, schools: SchoolsResource | None = None
) -> dg.Definitions:
    partitions = dg.StaticPartitionsDefinition(sorted(config.schools))
    assets = [
        build_powerschool_assets(partitions),
        build_roster_asset(partitions),
        build_platform_users_asset(partitions),
        build_changeset_asset(partitions),
        build_platform_sync_asset(partitions),
    ]
    sync_job = dg.define_asset_job(
        SYNC_JOB,
        selection=dg.AssetSelection.assets(*assets),
        description="Extract, validate, build the roster and changeset, apply it: one school.",
    )
    return dg.Definitions(
        assets=assets,
        jobs=[sync_job],
        schedules=build_weekly_schedules(config, sync_job),
        resources={
            "dlt": DagsterDltResource(),
            "schools": schools or SchoolsResource(),
            "options": SyncOptions(),
        },
        # Steps of one school share its DuckDB file, which allows one writer at a time.
        executor=dg.in_process_executor,
    )


@dg.definitions
def defs() -> dg.Definitions:
    return build_definitions(load_schools_config())
