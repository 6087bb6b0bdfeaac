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
import warnings
from pathlib import Path

import dagster as dg
import dlt
import duckdb
from dagster_dlt import DagsterDltResource, DagsterDltTranslator, dlt_assets
from dagster_dlt.translator import DltResourceTranslatorData
from dlt.common.configuration.container import Container
from dlt.common.configuration.specs.pluggable_run_context import PluggableRunContext
from dlt.common.runtime.telemetry import stop_telemetry
from dlt.common.warnings import DltDeprecationWarning

from sis_pipeline.assets.run_tags import tag_org
from sis_pipeline.resources.schools import SchoolsResource
from sis_pipeline.sources.powerschool import powerschool_source, reading_tables
from sis_pipeline.sources.powerschool.settings import extraction_plan

DATASET = "powerschool"

# dagster-dlt drops a pipeline's pending load packages through the older of dlt's two names
# for it; the warning would reach the console on every run.
warnings.filterwarnings(
    "ignore", "drop_pending_packages is deprecated", category=DltDeprecationWarning
)


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


def pipeline_for(
    school_key: str,
    schools: SchoolsResource,
    connection: duckdb.DuckDBPyConnection | None = None,
) -> dlt.Pipeline:
    """The school's dlt pipeline; with `connection` (open on the school's DuckDB file) dlt
    loads through it instead of opening the file itself."""
    dlt_telemetry_off()
    school_dir = schools.school_dir(school_key)
    name = f"powerschool_{school_key}"
    # dlt keeps the files it loaded (the whole extraction, personal data included) beside its
    # state; once loaded they are only a second copy of the school's DuckDB tables.
    dlt.config[f"{name}.load.delete_completed_jobs"] = True
    # Nor is the staging copy kept once the tables are swapped: it would double what the
    # DuckDB file holds (and writes to disk each run).
    dlt.config[f"{name}.load.truncate_staging_dataset"] = True
    # Every table is replaced whole and nothing is incremental, so dlt's state holds nothing
    # a run needs from the last one: the pipeline keeps its schema in its working folder and
    # does not drop it and read it back from the database each run. (dagster-dlt then drops
    # only pending load packages, so a load killed midway is never resumed: it is extracted
    # again.)
    dlt.config[f"{name}.restore_from_destination"] = False
    return dlt.pipeline(
        pipeline_name=name,
        pipelines_dir=str(school_dir / "dlt"),
        destination=dlt.destinations.duckdb(
            connection if connection is not None else str(schools.database_path(school_key)),
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
        plan = {
            table: columns
            for table, columns in extraction_plan(school).items()
            if dg.AssetKey(["powerschool", table]) in context.selected_asset_keys
        }
        with (
            schools.powerschool_client(key) as client,
            reading_tables(client, plan, school.powerschool.school_numbers) as readers,
            # One connection for the whole load: dlt would otherwise open and close the file
            # (a checkpoint each time) for its state, its schema and each table.
            schools.connect(key) as connection,
        ):
            tag_org(context, school)
            yield from dlt.run(
                context=context,
                dlt_source=powerschool_source(plan, readers),
                dlt_pipeline=pipeline_for(key, schools, connection),
                loader_file_format="parquet",
            )

    return powerschool_tables
