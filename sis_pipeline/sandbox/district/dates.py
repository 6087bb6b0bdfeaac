"""Dates as day numbers (days since 1970-01-01) and their "YYYY-MM-DD" text, vectorised."""

from __future__ import annotations

import datetime as dt

import numpy as np

_EPOCH = dt.date(1970, 1, 1)


def day_number(day: dt.date) -> int:
    return (day - _EPOCH).days


def calendar_days(years: np.ndarray | int, month: int, day: int) -> np.ndarray:
    """Day numbers of `month`/`day` in each of `years`."""
    months = (np.asarray(years, dtype=np.int64) - 1970) * 12 + (month - 1)
    return months.astype("datetime64[M]").astype("datetime64[D]").astype(np.int64) + (day - 1)


def iso_text(days: np.ndarray, missing: np.ndarray | None = None) -> np.ndarray:
    """Object array of "YYYY-MM-DD" (None where `missing`); equal dates share one str object."""
    days = np.asarray(days, dtype=np.int64)
    unique, inverse = np.unique(days, return_inverse=True)
    text = np.datetime_as_string(unique.astype("datetime64[D]"), unit="D").astype(object)
    out = text[inverse.reshape(-1)]
    if missing is not None:
        out[missing] = None
    return out


def iso_day(day: int) -> str:
    return str(np.datetime64(day, "D"))
