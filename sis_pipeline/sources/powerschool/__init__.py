"""dlt source `powerschool`: one resource per PowerSchool table the sync reads.

Each resource yields Arrow tables of up to some tens of thousands of rows (string columns,
null for PowerSchool's `""`), so no table is ever whole in memory and dlt skips row-by-row
normalisation. Every table is replaced on each load: a weekly roster is a snapshot, not a
stream of changes.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial

import dlt
import pyarrow as pa
from dlt.sources import DltResource

from sis_pipeline.sources.powerschool.client import PowerSchoolClient
from sis_pipeline.sources.powerschool.pages import schema_for
from sis_pipeline.sources.powerschool.settings import ALL_TABLES, PRIMARY_KEYS
from sis_pipeline.sources.powerschool.side_by_side import SideBySide

# Tables narrowed to the school's own school numbers; the rest are district-wide.
SCHOOL_FILTERED = {"students": "schoolid", "schoolstaff": "schoolid"}


@contextmanager
def reading_tables(
    client: PowerSchoolClient,
    plan: dict[str, list[str]],
    school_numbers: list[int] | None = None,
) -> Iterator[SideBySide]:
    """Start reading every table of `plan` now, side by side within the client's request
    limit, and stop whatever is left unread on leaving.

    Reading starts before dlt is ready to take the first batch: dlt's own setup (its state,
    schema and load package) then overlaps PowerSchool's answers instead of preceding them.
    """
    readers = SideBySide(
        {
            table: partial(_pages, client, table, columns, school_numbers)
            for table, columns in plan.items()
            if columns
        }
    )
    readers.start()
    try:
        yield readers
    finally:
        readers.stop()


@dlt.source(name="powerschool", max_table_nesting=0)
def powerschool_source(
    plan: dict[str, list[str]] | None = None, readers: SideBySide | None = None
) -> Iterator[DltResource]:
    """Without readers this only shapes the asset specs; with them it loads `plan`'s tables
    from `reading_tables`."""
    plan = plan or {}
    for table in ALL_TABLES:
        # Tables outside the plan still get a (silent) resource: their assets exist for every
        # school, and a school that does not sync parents simply loads nothing into them.
        columns = plan.get(table, [])
        yield dlt.resource(
            _batches(readers, table, columns),
            name=table,
            write_disposition="replace",
            # Fixed text columns: dlt has nothing to infer, batch after batch.
            columns={c: {"data_type": "text", "nullable": True} for c in columns},
        )


def _batches(readers: SideBySide | None, table: str, columns: list[str]):
    if readers is None or not columns:
        return
    loaded_any = False
    for batch in readers.batches(table):
        loaded_any = True
        yield batch
    if not loaded_any:
        # An empty page still replaces last week's rows: the table must show it is empty now.
        yield schema_for(columns).empty_table()


def _pages(
    client: PowerSchoolClient,
    table: str,
    columns: list[str],
    school_numbers: list[int] | None,
) -> Iterator[pa.Table]:
    # FIQL on PowerSchool has no OR, so several school numbers mean several queries.
    filter_column = SCHOOL_FILTERED.get(table)
    queries: list[str | None] = [None]
    if filter_column and school_numbers:
        queries = [f"{filter_column}=={number}" for number in school_numbers]
    for q in queries:
        yield from client.iter_batches(table, columns, PRIMARY_KEYS[table], q)
