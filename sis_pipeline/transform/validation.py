"""The roster row's contract (the platform's user object rules) as a pandera model.

`validate_roster_frame` turns pandera's failure cases into one failure per row and reason,
with reasons as short codes ("missing:last_name", "too_long:first_name",
"duplicate:host_id", "invalid:grade_level"): never a personal value, so failures can go
to logs, reports and Dagster check metadata as they are.

A district's roster is validated a bounded frame at a time (`frames_by_host_id`), so the
memory pandera needs does not grow with the district. The frames are cut between host IDs
of a result ordered by host ID, so every repeat of a host ID (and every row without one)
lands in the same frame, where the uniqueness check sees it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

import duckdb
import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

MEMBER_TYPES = ("student", "teacher", "parent")
# Rows per validated frame: pandera holds several copies of a frame while it checks it.
FRAME_ROWS = 50_000
_VECTOR_ROWS = 2048  # DuckDB hands results over in vectors of this many rows
HOST_ID_PATTERN = r"^[A-Za-z._-]{1,16}[0-9]{1,19}$"

# Check name -> reason prefix; any other check gives "invalid".
_COLUMN_REASONS = {
    "not_nullable": "missing",
    "not_blank": "missing",
    "field_uniqueness": "duplicate",
    "at_most_100_chars": "too_long",
    "at_most_16_chars": "too_long",
    "at_most_254_chars": "too_long",
}
# Row-level checks name their own reason.
_ROW_REASONS = {
    "students_need_graduation_year": "missing:graduation_year",
    "graduation_year_only_for_students": "invalid:graduation_year",
}


def _is_iso_date(value: str) -> bool:
    try:
        return len(value) == 10 and date.fromisoformat(value).isoformat() == value
    except ValueError:
        return False


class RosterRow(pa.DataFrameModel):
    """One user as it will be sent to the platform."""

    host_id: Series[str] = pa.Field(unique=True, str_matches=HOST_ID_PATTERN)
    member_type: Series[str] = pa.Field(isin=list(MEMBER_TYPES))
    first_name: Series[str]
    last_name: Series[str]
    email: Series[str] = pa.Field(nullable=True)
    graduation_year: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=1900, le=2100)
    date_of_birth: Series[str] = pa.Field(nullable=True)
    gender: Series[str] = pa.Field(nullable=True)
    grade_level: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=-2, le=13)
    source_id: Series[str] = pa.Field(nullable=True)

    class Config:
        coerce = True
        strict = False

    @pa.check("first_name", "last_name", name="not_blank")
    def _not_blank(cls, names: Series[str]) -> Series[bool]:
        return names.str.strip().str.len() > 0

    @pa.check("first_name", "last_name", name="at_most_100_chars")
    def _short_name(cls, names: Series[str]) -> Series[bool]:
        return names.str.len() <= 100

    @pa.check("gender", name="at_most_16_chars")
    def _short_gender(cls, genders: Series[str]) -> Series[bool]:
        return genders.str.len() <= 16

    @pa.check("email", name="one_at_sign")
    def _one_at(cls, emails: Series[str]) -> Series[bool]:
        return emails.str.count("@") == 1

    @pa.check("email", name="at_most_254_chars")
    def _short_email(cls, emails: Series[str]) -> Series[bool]:
        return emails.str.len() <= 254

    @pa.check("date_of_birth", name="iso_date")
    def _iso_date(cls, dates: Series[str]) -> Series[bool]:
        return dates.map(_is_iso_date).astype(bool)

    @pa.dataframe_check(name="students_need_graduation_year")
    def _student_year(cls, df: pd.DataFrame) -> Series[bool]:
        return ~((df["member_type"] == "student") & df["graduation_year"].isna())

    @pa.dataframe_check(name="graduation_year_only_for_students")
    def _others_no_year(cls, df: pd.DataFrame) -> Series[bool]:
        return (df["member_type"] == "student") | df["graduation_year"].isna()


@dataclass(frozen=True)
class RosterFailure:
    row: int  # position of the row in the validated frame
    host_id: str | None
    reason: str


def _reason(check: str, column: str | None) -> str:
    if check in _ROW_REASONS:
        return _ROW_REASONS[check]
    return f"{_COLUMN_REASONS.get(check, 'invalid')}:{column}"


def validate_roster_frame(df: pd.DataFrame) -> list[RosterFailure]:
    """Every (row, reason) that breaks the roster contract, sorted by row; [] when valid.

    Extra columns are allowed. A row missing a value gets "missing:<field>" only, not also
    the checks that need a value.
    """
    frame = df.reset_index(drop=True)
    try:
        RosterRow.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as errors:
        cases = errors.failure_cases
    else:
        return []
    reasons: set[tuple[int, str]] = set()
    for check, column, index in cases[["check", "column", "index"]].itertuples(index=False):
        if pd.isna(index):
            # A whole-frame failure (a missing column, a column of the wrong type).
            reasons.update((row, f"invalid:{column}") for row in range(len(frame)))
            continue
        reasons.add((int(index), _reason(str(check), column)))
    host_ids = frame["host_id"] if "host_id" in frame else pd.Series([None] * len(frame))
    return [
        RosterFailure(row, None if pd.isna(host_ids.iloc[row]) else host_ids.iloc[row], reason)
        for row, reason in sorted(reasons)
    ]


def frames_by_host_id(
    result: duckdb.DuckDBPyConnection, rows: int | None = None
) -> Iterator[pd.DataFrame]:
    """The rows of `result` (a query ordered by host_id, NULLs last, not yet read) as frames
    of about `rows` (FRAME_ROWS) rows, indexed from 0, never cutting between two rows of the
    same host ID or two rows without one."""
    vectors = max(1, -(-(rows or FRAME_ROWS) // _VECTOR_ROWS))
    carried: pd.DataFrame | None = None
    while True:
        chunk = result.fetch_df_chunk(vectors)
        if chunk.empty:
            break
        frame = chunk if carried is None else pd.concat([carried, chunk], ignore_index=True)
        keep = _rows_before_last_host_id(frame["host_id"])
        carried = frame.iloc[keep:].reset_index(drop=True)
        if keep:
            yield frame.iloc[:keep].reset_index(drop=True)
    if carried is not None and len(carried):
        yield carried


def _rows_before_last_host_id(host_ids: pd.Series) -> int:
    """How many leading rows differ from the last row's host ID (NULLs count as equal)."""
    last = host_ids.iloc[-1]
    same = host_ids.isna() if pd.isna(last) else host_ids == last
    differ = (~same.to_numpy(dtype=bool)).nonzero()[0]
    return int(differ[-1]) + 1 if len(differ) else 0


@dataclass(frozen=True)
class RosterTableCheck:
    """`validate_roster_frame` over a whole table, kept small: counts and a sample."""

    rows: int
    failures: int
    sample_host_ids: list[str | None]  # of the first failures, in host ID order


def validate_roster_table(
    con: duckdb.DuckDBPyConnection, table: str = "sync.roster", sample: int = 20
) -> RosterTableCheck:
    """Validate `table` (one of ours, never input) a bounded frame at a time."""
    rows = failures = 0
    host_ids: list[str | None] = []
    result = con.execute(f"SELECT * FROM {table} ORDER BY host_id NULLS LAST")
    for frame in frames_by_host_id(result):
        found = validate_roster_frame(frame)
        rows += len(frame)
        failures += len(found)
        host_ids += [f.host_id for f in found[: max(0, sample - len(host_ids))]]
    return RosterTableCheck(rows, failures, host_ids)
