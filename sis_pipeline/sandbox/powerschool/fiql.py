"""The subset of FIQL that PowerSchool's `q` parameter accepts, parsed and applied to a table.

Supported: `==`, `!=`, `=gt=`, `=ge=`, `=lt=`, `=le=`, conditions joined by `;` (AND), `*` as
a wildcard in text values of `==`/`!=`, and the value `\\u0000` (a NUL character) to test for
null. PowerSchool documents no OR (`,`) and no parentheses, so both are refused with 400;
this also refuses a comma inside a value (e.g. a LastFirst), which FIQL would read as OR.
Values are type-checked against the column before any permission check, as the real server
does. Choices where no source says: text comparison is case-sensitive (Oracle's default),
an empty value is refused (PowerSchool says to use `\\u0000`), and null never satisfies a
comparison, not even `!=` (SQL semantics).
"""

from __future__ import annotations

import datetime as dt
import operator
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..powerschool_schema import TableSchema
from .errors import bad_request, invalid_query_field

NULL = "\x00"
_CONDITION = re.compile(r"^([A-Za-z0-9_.$]+)(==|!=|=gt=|=ge=|=lt=|=le=)(.*)$", re.DOTALL)
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_COMPARE = {
    "==": operator.eq,
    "!=": operator.ne,
    "=gt=": operator.gt,
    "=ge=": operator.ge,
    "=lt=": operator.lt,
    "=le=": operator.le,
}


@dataclass(frozen=True)
class Condition:
    column: str  # lower-case schema column
    op: str  # one of _COMPARE
    value: str


def resolve_column(given: str, schema: TableSchema) -> str | None:
    """Lower-case column for a name as a client wrote it (any case, optional `table.`)."""
    name = given.strip().lower()
    prefix, dot, rest = name.partition(".")
    if dot and prefix == schema.key:
        name = rest
    return name if name in schema.columns else None


def parse_query(q: str | None, schema: TableSchema) -> tuple[Condition, ...]:
    if q is None:
        return ()
    if any(ch in q for ch in ",()"):
        raise bad_request("Invalid query: OR (',') and parentheses are not supported")
    conditions = []
    for part in q.split(";"):
        match = _CONDITION.match(part)
        if not match:
            raise bad_request(f"Invalid query: cannot parse condition '{part}'")
        given, op, value = match.groups()
        column = resolve_column(given, schema)
        if column is None:
            raise invalid_query_field(given)
        _check_value(schema, column, op, value)
        conditions.append(Condition(column, op, value))
    return tuple(conditions)


def _check_value(schema: TableSchema, column: str, op: str, value: str) -> None:
    canonical, kind = schema.columns[column]
    if value == "":
        raise bad_request(f"Invalid query: empty value for field {canonical}; use \\u0000 for null")
    if value == NULL:
        if op not in ("==", "!="):
            raise bad_request(
                f"Invalid query: null can only be compared with == or != ({canonical})"
            )
        return
    if kind == "number" and not _NUMBER.match(value):
        raise bad_request(
            f"Invalid number '{value}' passed for comparison to number field {canonical}"
        )
    if kind == "date" and not _is_date(value):
        raise bad_request(f"Invalid date '{value}' passed for comparison to date field {canonical}")


def _is_date(value: str) -> bool:
    if not _DATE.match(value):
        return False
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def filter_mask(frame: pd.DataFrame, conditions: tuple[Condition, ...]) -> np.ndarray:
    mask = np.ones(len(frame), dtype=bool)
    for condition in conditions:
        mask &= _condition_mask(frame[condition.column], condition)
    return mask


def _condition_mask(column: pd.Series, condition: Condition) -> np.ndarray:
    op, value = condition.op, condition.value
    present = column.notna().to_numpy(dtype=bool)
    if value == NULL:
        return present if op == "!=" else ~present
    if column.dtype == np.float64:
        with np.errstate(invalid="ignore"):
            return _COMPARE[op](column.to_numpy(), float(value)) & present
    if "*" in value and op in ("==", "!="):
        pattern = ".*".join(re.escape(piece) for piece in value.split("*"))
        matched = column.str.fullmatch(pattern, flags=re.DOTALL)
        matched = matched.fillna(False).to_numpy(dtype=bool)
        return (matched if op == "==" else ~matched) & present
    compared = _COMPARE[op](column, value)
    return compared.fillna(False).to_numpy(dtype=bool) & present
