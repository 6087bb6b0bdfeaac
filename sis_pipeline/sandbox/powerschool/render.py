"""Render table rows the way the table API does: every value a JSON string, null as ""."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from .table_data import PreparedTable


def number_text(value: float) -> str:
    """PowerSchool sends numbers as strings: "6", not "6.0"; null is ""."""
    if math.isnan(value):
        return ""
    if value.is_integer():
        return str(int(value))
    return repr(float(value))


def column_texts(column: np.ndarray | pd.Series, positions: np.ndarray | slice) -> list[str]:
    if isinstance(column, np.ndarray):
        return [number_text(v) for v in column[positions].tolist()]
    values = column.iloc[positions].tolist()
    return [v if isinstance(v, str) else "" for v in values]


def render_rows(
    table: PreparedTable, positions: np.ndarray | slice, columns: list[str]
) -> tuple[list[int], list[dict[str, str]]]:
    """Primary keys and projected string values for the rows at `positions`."""
    frame = table.frame
    texts = {c: column_texts(_column(frame, c), positions) for c in columns}
    ids = table.ids[positions].tolist()
    rows = [{c: texts[c][i] for c in columns} for i in range(len(ids))]
    return ids, rows


def _column(frame: pd.DataFrame, name: str) -> np.ndarray | pd.Series:
    series = frame[name]
    if series.dtype == np.float64:
        return series.to_numpy()
    return series
