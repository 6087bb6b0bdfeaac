"""The changeset diff against a plain pandas merge of the same two frames, timed in one process.

Both run on a copy of the school's DuckDB file as the sync left it (its roster and the
platform listing it read), so the sync's file is never touched. `changeset` is the whole
`build_changeset` (listing checks, duplicate guard, holds, the changeset ID); `diff` is its
join-and-compare statement alone (changeset.sql), the part a pandas merge does.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path

import duckdb
import pandas as pd

from sis_pipeline.config.models import SchoolSettings
from sis_pipeline.transform.changeset import build_changeset
from sis_pipeline.transform.sql_files import run_sql

FIELDS = ("member_type", "first_name", "last_name", "email", "graduation_year", "grade_level")


def changeset_vs_pandas(database: Path, school: SchoolSettings) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="sis-bench-diff-") as folder:
        copy = Path(folder) / "school.duckdb"
        shutil.copyfile(database, copy)
        with duckdb.connect(str(copy)) as con:
            began = time.perf_counter()
            build_changeset(con, school)
            ours = time.perf_counter() - began
            began = time.perf_counter()
            run_sql(con, "changeset")
            diff = time.perf_counter() - began
            roster = con.sql("SELECT * FROM sync.roster").df()
            platform = con.sql("SELECT * FROM sync.platform_users").df()
    began = time.perf_counter()
    pandas_merge(roster, platform)
    theirs = time.perf_counter() - began
    return {
        "changeset": ours,
        "diff": diff,
        "pandas": theirs,
        "rows": float(len(roster) + len(platform)),
    }


def pandas_merge(roster: pd.DataFrame, platform: pd.DataFrame) -> pd.Series:
    """Create / update / unchanged / deactivate per host ID: an outer merge and a field compare."""
    merged = roster.merge(platform, on="host_id", how="outer", suffixes=("", "_p"), indicator=True)
    changed = pd.Series(False, index=merged.index)
    for name in FIELDS:
        if name in roster.columns and f"{name}_p" in merged.columns:
            ours, theirs = merged[name].astype(object), merged[f"{name}_p"].astype(object)
            changed |= ~((ours == theirs) | (ours.isna() & theirs.isna()))
    action = pd.Series("unchanged", index=merged.index)
    action[changed] = "update"
    action[merged["_merge"] == "left_only"] = "create"
    action[merged["_merge"] == "right_only"] = "deactivate"
    return action
