"""Assets `powerschool/<table>`: the school's PowerSchool tables, loaded by dlt into its DuckDB.

Each school has its own DuckDB file and its own dlt pipeline (name and working folder), so
schools never share a file, a table or dlt state; `replace` therefore only ever replaces the
school's own snapshot.

A table is only ever swapped whole: dlt loads each run into the `powerschool_staging` schema,
then replaces each table from it in one transaction. A load that fails or is killed midway
leaves every table as a complete snapshot, never truncated or half-filled; the step fails, so
the roster never runs on it, and the next run extracts everything again.
"""

import tempfile
from pathlib import Path

import dagster as dg
import dlt
from dagster_dlt import DagsterDltResource, DagsterDltTranslator, dlt_assets
from dagster_dlt.translator import DltResourceTranslatorData
from dlt.common.configuration.container import Container
from dlt.common.configuration.specs.pluggable_run_context import PluggableRunContext
from dlt.common.runtime.telemetry import stop_telemetry

from sis_pipeline.assets.run_tags import tag_org
from sis_pipeline.resources.schools import SchoolsResource
from sis_pipeline.sources.powerschool import powerschool_source
from sis_pipeline.sources.powerschool.settings import extraction_plan

DATASET = "powerschool"


class PowerSchoolTranslator(DagsterDltTranslator):
    def get_asset_spec(self, data: DltResourceTranslatorData) -> dg.AssetSpec:
        spec = super().get_asset_spec(data)
        return spec.replace_attributes(
            key=dg.AssetKey(["powerschool", data.resource.name]),
            deps=[],
            group_name="extract",
            description=f"PowerSchool's {data.resource.name.upper()} table for one school, "
            "as extracted this run: text columns, null where PowerSchool sent an empty string.",
        )


def dlt_telemetry_off() -> None:
    """dlt sends anonymous usage events to its makers unless told not to; a roster sync talks
    to PowerSchool and the platform only."""
    dlt.config["runtime.dlthub_telemetry"] = False
    run_context = Container()[PluggableRunContext].context
    if run_context.runtime_config.dlthub_telemetry:
        # dlt read its runtime settings (and started telemetry) when it was imported.
        stop_telemetry()
        run_context.initialize_runtime()


def pipeline_for(school_key: str, schools: SchoolsResource) -> dlt.Pipeline:
    dlt_telemetry_off()
    school_dir = schools.school_dir(school_key)
    name = f"powerschool_{school_key}"
    # dlt keeps the files it loaded (the whole extraction, personal data included) beside its
    # state; once loaded they are only a second copy of the school's DuckDB tables.
    dlt.config[f"{name}.load.delete_completed_jobs"] = True
    return dlt.pipeline(
        pipeline_name=name,
        pipelines_dir=str(school_dir / "dlt"),
        destination=dlt.destinations.duckdb(
            str(schools.database_path(school_key)),
            # dlt's default for duckdb truncates the tables when the load starts, then inserts;
            # and dlt 1.31 runs its SQL jobs on duckdb outside any transaction unless told
            # that duckdb has them, so a failed swap would still leave a table empty.
            replace_strategy="insert-from-staging",
            supports_transactions=True,
        ),
        dataset_name=DATASET,
    )


def build_powerschool_assets(partitions_def: dg.PartitionsDefinition) -> dg.AssetsDefinition:
    dlt_telemetry_off()
    # This pipeline only shapes the specs; each run builds the school's own (see below).
    spec_pipeline = dlt.pipeline(
        pipeline_name="powerschool",
        pipelines_dir=str(Path(tempfile.gettempdir()) / "sis_pipeline_specs"),
        destination="duckdb",
        dataset_name=DATASET,
    )

    @dlt_assets(
        dlt_source=powerschool_source(),
        dlt_pipeline=spec_pipeline,
        name="powerschool_tables",
        partitions_def=partitions_def,
        dagster_dlt_translator=PowerSchoolTranslator(),
    )
    def powerschool_tables(
        context: dg.AssetExecutionContext, dlt: DagsterDltResource, schools: SchoolsResource
    ):
        key = context.partition_key
        school = schools.school(key)
        tag_org(context, school)
        with schools.powerschool_client(key) as client:
            source = powerschool_source(
                client=client,
                plan=extraction_plan(school),
                school_numbers=school.powerschool.school_numbers,
            )
            yield from dlt.run(
                context=context,
                dlt_source=source,
                dlt_pipeline=pipeline_for(key, schools),
                loader_file_format="parquet",
            )

    return powerschool_tables
