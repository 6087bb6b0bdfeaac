"""dlt source `powerschool`: one resource per PowerSchool table the sync reads.

Each resource yields one Arrow table per API page (string columns, null for PowerSchool's
`""`), so no table is ever whole in memory and dlt skips row-by-row normalisation. Every
table is replaced on each load: a weekly roster is a snapshot, not a stream of changes.
"""

from __future__ import annotations

from collections.abc import Iterator

import dlt
import pyarrow as pa
from dlt.sources import DltResource

from sis_pipeline.sources.powerschool.client import PowerSchoolClient
from sis_pipeline.sources.powerschool.settings import ALL_TABLES, PRIMARY_KEYS

# Tables narrowed to the school's own school numbers; the rest are district-wide.
SCHOOL_FILTERED = {"students": "schoolid", "schoolstaff": "schoolid"}


@dlt.source(name="powerschool", max_table_nesting=0)
def powerschool_source(
    client: PowerSchoolClient | None = None,
    plan: dict[str, list[str]] | None = None,
    school_numbers: list[int] | None = None,
) -> Iterator[DltResource]:
    """Without a client this only shapes the asset specs; with one it reads `plan`'s tables."""
    for table in ALL_TABLES:
        # Tables outside the plan still get a (silent) resource: their assets exist for every
        # school, and a school that does not sync parents simply loads nothing into them.
        columns = (plan or {}).get(table, [])
        yield dlt.resource(
            _pages(client, table, columns, school_numbers),
            name=table,
            write_disposition="replace",
            columns={c: {"data_type": "text", "nullable": True} for c in columns},
        )


def _pages(
    client: PowerSchoolClient | None,
    table: str,
    columns: list[str],
    school_numbers: list[int] | None,
) -> Iterator[pa.Table]:
    if client is None or not columns:
        return
    schema = pa.schema([(column, pa.string()) for column in columns])
    # FIQL on PowerSchool has no OR, so several school numbers mean several queries.
    filter_column = SCHOOL_FILTERED.get(table)
    queries: list[str | None] = [None]
    if filter_column and school_numbers:
        queries = [f"{filter_column}=={number}" for number in school_numbers]
    loaded_any = False
    for q in queries:
        for rows in client.iter_pages(table, columns, PRIMARY_KEYS[table], q):
            loaded_any = True
            yield pa.Table.from_pylist(rows, schema=schema)
    if not loaded_any:
        # An empty page still replaces last week's rows: the table must show it is empty now.
        yield schema.empty_table()
