"""Asset `platform_users`: the school's org on the platform as it is before this run's sync."""

import dagster as dg
import pyarrow as pa

from sis_pipeline.resources.schools import SchoolsResource
from sis_pipeline.sources.platform.settings import USER_COLUMNS


def build_platform_users_asset(partitions_def: dg.PartitionsDefinition) -> dg.AssetsDefinition:
    @dg.asset(
        key="platform_users",
        group_name="platform",
        partitions_def=partitions_def,
        kinds={"duckdb"},
    )
    def platform_users(
        context: dg.AssetExecutionContext, schools: SchoolsResource
    ) -> dg.MaterializeResult:
        """Every user of the school's org on the platform (all statuses), read page by page
        through the roster API: one row per host ID, as the platform holds it right now."""
        key = context.partition_key
        with schools.platform_client(key) as client, schools.connect(key) as con:
            # Pages are gathered and written together: a DuckDB commit per 1,000-user page
            # cost more than reading the page.
            users = pa.concat_tables([USER_COLUMNS.empty_table(), *client.iter_user_tables()])
            con.register("listed_users", users)
            con.execute("CREATE OR REPLACE TABLE sync.platform_users AS SELECT * FROM listed_users")
            con.unregister("listed_users")
            rows = con.execute(
                "SELECT status, count(*) FROM sync.platform_users GROUP BY ALL ORDER BY 1"
            ).fetchall()
        by_status = {status: count for status, count in rows}
        return dg.MaterializeResult(
            metadata={
                "dagster/row_count": sum(by_status.values()),
                "active": by_status.get("active", 0),
                "inactive": by_status.get("inactive", 0),
            }
        )

    return platform_users
