"""Typed frames for the PowerSchool tables: exactly the schema's columns, numbers as nullable
Int64, text and dates as object columns holding str or None, rows sorted by primary key."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..powerschool_schema import TABLES


def int_column(values, missing: np.ndarray | None = None) -> pd.arrays.IntegerArray:
    data = np.array(values, dtype=np.int64)  # a copy: columns must never share a buffer
    mask = np.zeros(len(data), dtype=bool) if missing is None else np.asarray(missing, dtype=bool)
    return pd.arrays.IntegerArray(data, mask.copy())


def _column(kind: str, values, n: int, index: pd.RangeIndex) -> pd.Series:
    if values is None or np.isscalar(values):
        values = [values] * n
    if kind == "number":
        array = (
            values
            if isinstance(values, pd.arrays.IntegerArray)
            else pd.array(values, dtype="Int64")
        )
        return pd.Series(array, index=index, copy=False)
    return pd.Series(np.array(values, dtype=object), index=index, dtype=object, copy=False)


def make_frame(table: str, data: dict, n: int) -> pd.DataFrame:
    """A frame of `table` from column values (text as None-for-null object arrays); columns
    the data leaves out are null."""
    schema = TABLES[table]
    unknown = set(data) - set(schema.columns)
    if unknown:
        raise KeyError(f"{table} has no columns {sorted(unknown)}")
    index = pd.RangeIndex(n)
    columns = {
        name: _column(kind, data.get(name), n, index) for name, (_, kind) in schema.columns.items()
    }
    return pd.DataFrame(columns, copy=False)


def sort_by_key(table: str, frame: pd.DataFrame) -> pd.DataFrame:
    key = TABLES[table].primary_key
    if not frame[key].is_monotonic_increasing or not isinstance(frame.index, pd.RangeIndex):
        frame = frame.sort_values(key, kind="stable")
    return frame.reset_index(drop=True)


def concat_rows(table: str, *frames: pd.DataFrame) -> pd.DataFrame:
    present = [f for f in frames if len(f)]
    if not present:
        return frames[0].iloc[:0].copy()
    return sort_by_key(table, pd.concat(present, ignore_index=True))


def set_text(frame: pd.DataFrame, column: str, values) -> None:
    """Assign a text column without pandas turning it into its own string dtype."""
    frame[column] = pd.Series(np.asarray(values, dtype=object), index=frame.index, dtype=object)


def last_first(last: pd.Series, first: pd.Series, middle: pd.Series) -> np.ndarray:
    """PowerSchool's LastFirst: "Last, First Middle"."""
    text = last.fillna("").to_numpy(dtype=object) + ", " + first.fillna("").to_numpy(dtype=object)
    has_middle = middle.notna().to_numpy()
    text[has_middle] = text[has_middle] + " " + middle.to_numpy(dtype=object)[has_middle]
    return text
