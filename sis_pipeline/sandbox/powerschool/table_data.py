"""Turn the caller's DataFrames into the typed, key-ordered tables the simulator serves.

The work that would otherwise repeat on every request happens once here: every schema
column is present (missing ones are all null), numbers become float64 with NaN for null,
text and dates become nullable strings, and rows are sorted by primary key so an
unfiltered page is a plain slice. Bad input (an unknown table or column, a non-numeric
value in a number column, a malformed date, a null or duplicate primary key) raises
ValueError: it is a bug in whatever built the district, better caught here than served.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
from pandas.api.types import infer_dtype, is_datetime64_any_dtype, is_numeric_dtype

from ..powerschool_schema import TABLES, TableSchema
from .render import number_text

TEXT = pd.StringDtype("pyarrow")
# PowerQuery output shows timestamp columns as "2025-04-25 10:17:37.24"; dates as YYYY-MM-DD.
_DATE_PATTERN = r"\d{4}-\d{2}-\d{2}( \d{2}:\d{2}:\d{2}(\.\d+)?)?"


@dataclass(frozen=True)
class PreparedTable:
    schema: TableSchema
    frame: pd.DataFrame  # every schema column (lower-case), rows ascending by primary key
    ids: np.ndarray  # int64 primary keys, same order as frame

    def __len__(self) -> int:
        return len(self.ids)


def prepare_tables(tables: Mapping[str, pd.DataFrame]) -> dict[str, PreparedTable]:
    unknown = sorted(set(map(str.lower, tables)) - set(TABLES))
    if unknown:
        raise ValueError(f"unknown PowerSchool tables: {unknown}; known: {sorted(TABLES)}")
    given = {name.lower(): frame for name, frame in tables.items()}
    return {key: prepare_table(schema, given.get(key)) for key, schema in TABLES.items()}


def prepare_table(schema: TableSchema, frame: pd.DataFrame | None) -> PreparedTable:
    frame = pd.DataFrame() if frame is None else frame.rename(columns=str.lower)
    unknown = sorted(set(frame.columns) - set(schema.columns))
    if unknown:
        raise ValueError(f"{schema.key}: unknown columns {unknown}")
    rows = len(frame)
    columns = {}
    for column, (_canonical, kind) in schema.columns.items():
        if column not in frame:
            columns[column] = np.full(rows, np.nan) if kind == "number" else _all_null(rows)
            continue
        raw = frame[column].reset_index(drop=True)
        where = f"{schema.key}.{column}"
        if kind == "number":
            columns[column] = _number_column(raw, where)
        elif kind == "date":
            columns[column] = _date_column(raw, where)
        else:
            columns[column] = _text_column(raw)
    typed = pd.DataFrame(columns, index=pd.RangeIndex(rows))
    keys = typed[schema.primary_key].to_numpy()
    if np.isnan(keys).any() or not np.all(np.mod(keys, 1) == 0):
        raise ValueError(f"{schema.key}: primary key {schema.primary_key} must be whole numbers")
    ids = keys.astype(np.int64)
    if not np.all(ids[1:] > ids[:-1]):
        order = np.argsort(ids, kind="stable")
        ids = ids[order]
        if (ids[1:] == ids[:-1]).any():
            raise ValueError(f"{schema.key}: duplicate primary key {schema.primary_key}")
        typed = typed.iloc[order].reset_index(drop=True)
    return PreparedTable(schema, typed, ids)


def _all_null(rows: int) -> pd.Series:
    return pd.Series(pd.NA, index=pd.RangeIndex(rows), dtype=TEXT)


def _blank_as_null(raw: pd.Series) -> pd.Series:
    # A district built from API-shaped strings writes null as "", as the API itself does.
    if raw.dtype == object or isinstance(raw.dtype, pd.StringDtype):
        return raw.where(raw.astype(object) != "", None)
    return raw


def _number_column(raw: pd.Series, where: str) -> np.ndarray:
    raw = _blank_as_null(raw)
    try:
        numbers = pd.to_numeric(raw, errors="raise")
    except (ValueError, TypeError):
        raise ValueError(f"{where}: non-numeric value in a number column") from None
    return pd.Series(numbers, dtype="Float64").to_numpy(dtype=np.float64, na_value=np.nan)


def _text_column(raw: pd.Series) -> pd.Series:
    if _only_strings(raw):
        return raw.astype(TEXT)
    if is_numeric_dtype(raw.dtype):
        values = raw.to_numpy(dtype=np.float64, na_value=np.nan)
        return pd.Series([number_text(v) or None for v in values], dtype=TEXT)
    return pd.Series([_scalar_text(v) for v in raw], dtype=TEXT)


def _only_strings(raw: pd.Series) -> bool:
    if isinstance(raw.dtype, pd.StringDtype):
        return True
    return raw.dtype == object and infer_dtype(raw, skipna=True) in ("string", "empty")


def _scalar_text(value: object) -> str | None:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, float):
        return number_text(value)
    return str(value)


def _date_column(raw: pd.Series, where: str) -> pd.Series:
    raw = _blank_as_null(raw)
    if is_datetime64_any_dtype(raw.dtype):
        return raw.dt.strftime("%Y-%m-%d").astype(TEXT)
    if not _only_strings(raw):
        raw = pd.Series([_date_text(v) for v in raw], dtype=object)
    text = raw.astype(TEXT)
    bad = ~text.str.fullmatch(_DATE_PATTERN).fillna(True).to_numpy(dtype=bool)
    if bad.any():
        raise ValueError(f"{where}: {int(bad.sum())} values are not YYYY-MM-DD dates")
    return text


def _date_text(value: object) -> object:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, dt.datetime | pd.Timestamp):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value
