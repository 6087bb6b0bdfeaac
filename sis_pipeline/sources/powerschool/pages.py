"""Pages of the table API as rows, and rows as an Arrow table of text columns.

A page is parsed once (orjson) and each record's column object is kept as it came: no dict
per row is built. The rows of many pages go to Arrow together, in one conversion: calls into
Arrow release Python's lock and wait to take it back while other threads are busy, so a call
per page and per column (at a million people, millions of them) would cost more than the work
they do. The rules are those of a careful reader of any PowerSchool: table and column keys in
any case, `""`/missing/`null` all null, a number sent as JSON number read as its text.
"""

from __future__ import annotations

import numpy as np
import orjson
import pyarrow as pa
import pyarrow.compute as pc

NULL_TEXT = pa.scalar(None, pa.string())


class PageError(ValueError):
    """A page that is not the table API's shape; the message names the table, never a value."""


def parse_json(content: bytes) -> object:
    """The body as JSON; ValueError when it is not."""
    return orjson.loads(content)


def schema_for(columns: list[str]) -> pa.Schema:
    return pa.schema([(column, pa.string()) for column in columns])


def page_table(records: list, table: str, columns: list[str]) -> pa.Table:
    """The page's records as a table of `columns`, in the order served."""
    return rows_table(page_rows(records, table, columns), columns)


def page_rows(records: list, table: str, columns: list[str]) -> list[dict]:
    """Each record's column object, holding `columns` under their own (lower-case) names; a
    column it lacks reads as null. PageError for a record that is not the table API's shape."""
    wanted = frozenset(columns)
    try:
        rows = [record["tables"][table] for record in records]
        if all(wanted <= row.keys() for row in rows):
            return rows
    except (KeyError, TypeError, AttributeError):
        pass
    return [_values(record, table, wanted) for record in records]


def rows_table(rows: list[dict], columns: list[str]) -> pa.Table:
    """Rows from `page_rows` (of any number of pages) as a table of text columns."""
    schema = schema_for(columns)
    try:
        objects = pa.array(rows, type=pa.struct(schema))
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        # Not every value is text (numbers, booleans): column by column, the exact way.
        arrays = [_text_array([row.get(column) for row in rows]) for column in columns]
        return pa.Table.from_arrays(arrays, schema=schema)
    return pa.Table.from_arrays([_empty_as_null(a) for a in objects.flatten()], schema=schema)


def key_texts(rows: list[dict], key: str) -> list[str | None]:
    """The rows' `key` values as the table will hold them: text, null for `""`."""
    keys = [row.get(key) for row in rows]
    if all(type(k) is str and k for k in keys):
        return keys
    return [_text(k) for k in keys]


def _values(record: object, table: str, wanted: frozenset[str]) -> dict:
    tables = record.get("tables") if isinstance(record, dict) else None
    if not isinstance(tables, dict):
        raise PageError(f"{table}: a record has no tables object")
    values = tables.get(table)
    if values is None:
        values = next((v for k, v in tables.items() if str(k).lower() == table), None)
    if not isinstance(values, dict):
        raise PageError(f"{table}: a record lacks its {table} columns")
    if wanted <= values.keys():
        return values
    # Keys in another case (or missing columns, which read as null).
    return {str(k).lower(): v for k, v in values.items()}


def _empty_as_null(array: pa.StringArray) -> pa.Array:
    # Each value's length from the offsets: no compute call for the usual column with no "".
    offsets = np.frombuffer(
        array.buffers()[1], dtype=np.int32, count=len(array) + 1, offset=array.offset * 4
    )
    empty = offsets[1:] == offsets[:-1]
    if array.null_count:
        empty &= array.is_valid().to_numpy(zero_copy_only=False)
    if not empty.any():
        return array
    return pc.if_else(pa.array(empty), NULL_TEXT, array)


def _text_array(column: list) -> pa.Array:
    try:
        return _empty_as_null(pa.array(column, type=pa.string()))
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return pa.array([_text(v) for v in column], type=pa.string())


def _text(value: object) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
