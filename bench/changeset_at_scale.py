"""The changeset step at district scale, without a whole sync: seconds instead of minutes.

    .venv/bin/python bench/changeset_at_scale.py [--people 1000000] [--repeat 3]
        [--cases initial no-change churn] [--threads N]

Builds `sync.roster` and `sync.platform_users` of `--people` people straight in DuckDB (45%
students, 5% teachers, 50% parents, e-mail synced), as the sync leaves them for three cases:
an initial sync (empty org), a no-change resync (the org equals the roster) and a resync
after 2% churn (1% renamed, 0.5% arrivals, 0.5% departures). Then, per case, the best of
`--repeat` runs of: the whole `build_changeset` with the time of each of its parts, its diff
statement alone (changeset.sql), a plain pandas merge of the same two frames (the yardstick
of `diff_yardstick.py`) and a bare DuckDB full outer join of the two tables counting rows,
the least any SQL diff can cost; wall and CPU seconds (the steadier on a shared machine).
"""

from __future__ import annotations

import argparse
import resource
import shutil
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

import duckdb
from diff_yardstick import pandas_merge

import sis_pipeline.transform.changeset as changeset_module
from sis_pipeline.config.models import SchoolSettings
from sis_pipeline.transform.changeset import build_changeset
from sis_pipeline.transform.sql_files import run_sql

ROSTER = """
CREATE SCHEMA IF NOT EXISTS sync;
CREATE OR REPLACE TABLE people AS
SELECT
    i,
    CASE WHEN i % 20 < 9 THEN 'student' WHEN i % 20 = 9 THEN 'teacher' ELSE 'parent' END
        AS member_type,
    ['Ada', 'Grace', 'Alan', 'Edsger', 'Barbara', 'Donald', 'Frances', 'Ken']
        [1 + CAST(hash(i) % 8 AS BIGINT)] AS first_name,
    ['Lovelace', 'Hopper', 'Turing', 'Dijkstra', 'Liskov', 'Knuth', 'Allen', 'Thompson']
        [1 + CAST(hash(i * 7) % 8 AS BIGINT)] || CAST(i % 997 AS VARCHAR) AS last_name
FROM range({people}) AS t(i);
CREATE OR REPLACE TABLE sync.roster AS
SELECT
    CASE member_type WHEN 'student' THEN 'S' WHEN 'teacher' THEN 'T' ELSE 'P' END
        || CAST(i AS VARCHAR) AS host_id,
    member_type,
    first_name,
    last_name,
    lower(first_name) || '.' || CAST(i AS VARCHAR) || '@example.org' AS email,
    CASE WHEN member_type = 'student' THEN 2026 + CAST(i % 13 AS INTEGER) END
        AS graduation_year,
    NULL::VARCHAR AS date_of_birth,
    NULL::VARCHAR AS gender,
    CASE WHEN member_type = 'student' THEN CAST(i % 13 AS INTEGER) END AS grade_level,
    CAST(i AS VARCHAR) AS source_id
FROM people
ORDER BY host_id;
CREATE OR REPLACE TABLE sync.quarantine (
    host_id VARCHAR, member_type VARCHAR, source_table VARCHAR, source_id VARCHAR,
    reason VARCHAR
);
DROP TABLE people;
"""

PLATFORM = """
CREATE OR REPLACE TABLE sync.platform_users AS
SELECT
    host_id, member_type, first_name, last_name, email, graduation_year, date_of_birth,
    gender, grade_level, 'active' AS status, '2026-01-01T00:00:00Z' AS updated_at
FROM sync.roster
ORDER BY host_id;
"""

# 2% churn on the platform's side of the diff: 1% of the roster renamed on the platform
# (updates), 0.5% missing from it (creates), 0.5% only on it (departures).
CHURN = """
UPDATE sync.platform_users SET last_name = last_name || 'x'
WHERE hash(host_id) % 200 < 2;
DELETE FROM sync.platform_users WHERE hash(host_id) % 200 = 2;
INSERT INTO sync.platform_users
SELECT 'S' || CAST(1000000000 + i AS VARCHAR), 'student', 'Gone', 'Away', NULL, 2027, NULL,
    NULL, 11, 'active', '2026-01-01T00:00:00Z'
FROM range({people} // 200) AS t(i);
"""


def school() -> SchoolSettings:
    return SchoolSettings.model_validate(
        {
            "name": "Whole District",
            "org_id": "district",
            "optional_fields": ["email"],
            # The bench measures the diff, not the holds: churn this large is let through.
            "safety": {"max_deactivations": {"fraction": 0.5, "minimum": 10}},
            "powerschool": {
                "url": "https://district.example.org",
                "client_id_env": "PS_ID",
                "client_secret_env": "PS_SECRET",
            },
        }
    )


def build_inputs(path: Path, people: int, case: str) -> None:
    with duckdb.connect(str(path)) as con:
        # Only integers are formatted into the SQL.
        con.execute(ROSTER.format(people=int(people)))
        con.execute(PLATFORM)
        if case == "initial":
            con.execute("DELETE FROM sync.platform_users")
        if case == "churn":
            con.execute(CHURN.format(people=int(people)))


@contextmanager
def part_timers() -> dict[str, float]:
    """Seconds spent in each SQL file and Python part `build_changeset` calls."""
    spent: dict[str, float] = defaultdict(float)
    originals = {
        name: getattr(changeset_module, name)
        for name in ("run_sql", "changeset_id_of", "hold_mass_changes", "check_platform_listing")
    }

    def timed(label: Callable[..., str], function: Callable) -> Callable:
        def wrapper(*args, **kwargs):
            began = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                spent[label(*args)] += time.perf_counter() - began

        return wrapper

    changeset_module.run_sql = timed(lambda con, name: f"sql {name}", originals["run_sql"])
    for name in ("changeset_id_of", "hold_mass_changes", "check_platform_listing"):
        setattr(changeset_module, name, timed(lambda *a, n=name: n, originals[name]))
    try:
        yield spent
    finally:
        for name, function in originals.items():
            setattr(changeset_module, name, function)


def timed(work: Callable[[], object]) -> tuple[float, float]:
    """Wall and CPU seconds (all threads of this process) of `work`. On a shared machine
    the CPU seconds are the steadier measure of the work itself."""
    wall, cpu = time.perf_counter(), time.process_time()
    work()
    return time.perf_counter() - wall, time.process_time() - cpu


def measure(source: Path, settings: SchoolSettings, threads: int | None) -> dict[str, object]:
    with tempfile.TemporaryDirectory(prefix="sis-bench-scale-") as folder:
        copy = Path(folder) / "school.duckdb"
        shutil.copyfile(source, copy)
        with duckdb.connect(str(copy)) as con:
            if threads:
                con.execute(f"SET threads = {threads}")
            with part_timers() as parts:
                began = time.perf_counter()
                summary = build_changeset(con, settings)
                whole = time.perf_counter() - began
            diff, diff_cpu = timed(lambda: run_sql(con, "changeset"))
            bare_join, bare_cpu = timed(
                lambda: con.execute(
                    "SELECT count(*) FROM sync.roster AS r "
                    "FULL OUTER JOIN sync.platform_users AS p USING (host_id)"
                ).fetchall()
            )
            roster = con.sql("SELECT * FROM sync.roster").df()
            platform = con.sql("SELECT * FROM sync.platform_users").df()
    pandas, pandas_cpu = timed(lambda: pandas_merge(roster, platform))
    return {
        "changeset": whole,
        "diff": diff,
        "bare_join": bare_join,
        "pandas": pandas,
        "diff_cpu": diff_cpu,
        "bare_cpu": bare_cpu,
        "pandas_cpu": pandas_cpu,
        "parts": dict(parts),
        "actions": {k: v for k, v in summary.actions.items() if v},
        "held": summary.held,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--cases", nargs="+", default=["initial", "no-change", "churn"])
    parser.add_argument("--threads", type=int, default=None)
    args = parser.parse_args()
    settings = school()
    with tempfile.TemporaryDirectory(prefix="sis-bench-inputs-") as folder:
        for case in args.cases:
            source = Path(folder) / f"{case}.duckdb"
            build_inputs(source, args.people, case)
            runs = [measure(source, settings, args.threads) for _ in range(args.repeat)]
            best = min(runs, key=lambda run: run["changeset"])
            diff = min(run["diff"] for run in runs)
            pandas = min(run["pandas"] for run in runs)
            bare = min(run["bare_join"] for run in runs)
            cpu = {k: min(run[k] for run in runs) for k in ("diff_cpu", "bare_cpu", "pandas_cpu")}
            print(f"\n== {args.people:,} people, {case}: {best['actions']}, held {best['held']}")
            print(
                f"   changeset step {best['changeset']:.2f} s (best of {args.repeat}: "
                + ", ".join(f"{run['changeset']:.2f}" for run in runs)
                + ")"
            )
            for part, seconds in sorted(best["parts"].items(), key=lambda item: -item[1]):
                print(f"     {part:<28} {seconds:6.2f} s")
            print(
                f"   diff statement {diff:.3f} s, bare outer join {bare:.3f} s, pandas merge "
                f"{pandas:.3f} s: diff {pandas / diff:.1f}x pandas, bare join "
                f"{pandas / bare:.1f}x pandas"
            )
            print(
                f"   CPU seconds: diff {cpu['diff_cpu']:.3f}, bare outer join "
                f"{cpu['bare_cpu']:.3f}, pandas merge {cpu['pandas_cpu']:.3f}: diff "
                f"{cpu['pandas_cpu'] / cpu['diff_cpu']:.1f}x pandas, bare join "
                f"{cpu['pandas_cpu'] / max(cpu['bare_cpu'], 1e-9):.1f}x pandas"
            )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\npeak RSS of this process {peak:.0f} MB")


if __name__ == "__main__":
    main()
