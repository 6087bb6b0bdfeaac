"""`GET /ws/schema/table/{table}[/count|/{id}]`: rows, counts and single rows.

Checks run in the order the real server was seen to use: column names, then value types,
then permissions. Only after all of them do the page-level faults fire.
"""

from __future__ import annotations

import numpy as np

from ..powerschool_schema import TABLES, VIEWS, TableSchema
from .errors import ApiError, method_not_allowed, not_found, view_not_allowed
from .fiql import parse_query
from .render import render_rows
from .state import Reply, SimulatorState
from .table_params import paging, projection_columns, require_read, sort_order


def table_reply(
    state: SimulatorState, method: str, table: str, tail: str | None, params: dict[str, str]
) -> Reply:
    key = table.lower()
    if key in VIEWS:
        raise view_not_allowed()
    schema = TABLES.get(key)
    if schema is None:
        raise not_found()
    if method != "GET":
        raise method_not_allowed("GET")
    if tail == "count":
        return _count(state, schema, params)
    if tail is not None:
        return _one_row(state, schema, tail, params)
    return _rows(state, schema, params)


def _rows(state: SimulatorState, schema: TableSchema, params: dict[str, str]) -> Reply:
    columns = projection_columns(params.get("projection"), schema)
    conditions = parse_query(params.get("q"), schema)
    sort, descending = sort_order(params, schema)
    page, size = paging(params, state.max_page_size)
    touched = columns + [c.column for c in conditions] + ([sort] if sort else [])
    require_read(state.grants, schema, touched)
    faults = state.faults
    failing = {t.lower(): pages for t, pages in faults.fail_table_pages.items()}
    if page in failing.get(schema.key, ()):
        raise ApiError(500, {"message": f"Injected failure on page {page}"})
    if _named(schema, faults.empty_tables):
        return Reply(200, {"name": schema.name, "record": []})
    if "sort" not in params and _named(schema, faults.reversed_without_sort):
        sort, descending = schema.primary_key, True
    if _named(schema, faults.page_ignored):
        page = 1
    shift = {t.lower(): n for t, n in faults.rows_inserted_ahead.items()}.get(schema.key, 0)
    snapshot = state.snapshot
    order = snapshot.positions(schema.key, conditions, sort, descending)
    total = len(snapshot.tables[schema.key]) if order is None else len(order)
    start = min(max(0, (page - 1) * size - (shift if page > 1 else 0)), total)
    stop = min(start + size, total)
    positions = slice(start, stop) if order is None else order[start:stop]
    ids, rows = render_rows(snapshot.tables[schema.key], positions, columns)
    records = [{"id": i, "tables": {schema.key: row}} for i, row in zip(ids, rows, strict=True)]
    return Reply(200, {"name": schema.name, "record": records})


def _count(state: SimulatorState, schema: TableSchema, params: dict[str, str]) -> Reply:
    conditions = parse_query(params.get("q"), schema)
    # An unfiltered count needs no grant; a filtered one needs the filtered columns.
    require_read(state.grants, schema, [c.column for c in conditions])
    faults = state.faults
    if _named(schema, faults.empty_tables):
        count = 0
    else:
        skew = {t.lower(): n for t, n in faults.count_skew.items()}.get(schema.key, 0)
        count = max(0, state.snapshot.count(schema.key, conditions) + skew)
    return Reply(200, {"count": count})


def _one_row(
    state: SimulatorState, schema: TableSchema, tail: str, params: dict[str, str]
) -> Reply:
    if not tail.lstrip("-").isdigit():
        raise not_found()
    columns = projection_columns(params.get("projection"), schema)
    require_read(state.grants, schema, columns)
    if _named(schema, state.faults.empty_tables):
        raise not_found()
    table = state.snapshot.tables[schema.key]
    position = int(np.searchsorted(table.ids, int(tail)))
    if position >= len(table) or table.ids[position] != int(tail):
        raise not_found()
    ids, rows = render_rows(table, np.array([position]), columns)
    return Reply(200, {"id": ids[0], "name": schema.name, "tables": {schema.key: rows[0]}})


def _named(schema: TableSchema, tables: set[str]) -> bool:
    return schema.key in {t.lower() for t in tables}
