"""One page of the table API as an Arrow table of text columns, built column by column.

A page is parsed once (orjson) and each projected column goes straight into an Arrow string
array, with no dict per row: at a million people this is most of the extraction's CPU. The
rules are those of a careful reader of any PowerSchool: table and column keys in any case,
`""`/missing/`null` all null, a number sent as JSON number read as its text.
"""

from __future__ import annotations

import orjson
import pyarrow as pa
import pyarrow.compute as pc

EMPTY_TEXT = pa.scalar("", pa.string())
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
    wanted = frozenset(columns)
    values = [_values(record, table, wanted) for record in records]
    arrays = [_text_array([v.get(column) for v in values]) for column in columns]
    return pa.Table.from_arrays(arrays, schema=schema_for(columns))


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


def _text_array(column: list) -> pa.Array:
    try:
        array = pa.array(column, type=pa.string())
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        # Not every value is a string (numbers, booleans): the slow, exact way.
        return pa.array([_text(v) for v in column], type=pa.string())
    if pc.any(pc.equal(array, EMPTY_TEXT)).as_py():
        array = pc.if_else(pc.equal(array, EMPTY_TEXT), NULL_TEXT, array)
    return array


def _text(value: object) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
