"""The sync log keeps what the sink and the runbook need and drops the rest at each run's end."""

from __future__ import annotations

import duckdb

from sis_pipeline.sink.sync_log import DDL, KEEP_DAYS, KEEP_RUNS
from sis_pipeline.state.durable_store import LOCAL_STATE


def school_file() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute("CREATE SCHEMA sync")
    con.execute(DDL)
    return con


def logged(
    con: duckdb.DuckDBPyConnection, run_id: str, changeset_id: str, days_ago: int, rows: int = 2
) -> None:
    """`rows` outcomes of `run_id` logged `days_ago` days ago."""
    con.execute(
        "INSERT INTO sync.sync_log SELECT ?, ?, 'key-0', 'S' || i, 'create', 'ok', NULL, NULL, "
        "now()::TIMESTAMP - to_days(?::INTEGER) FROM range(?) AS t (i)",
        [run_id, changeset_id, days_ago, rows],
    )


def runs_in_log(con: duckdb.DuckDBPyConnection) -> set[str]:
    return {run for (run,) in con.execute("SELECT DISTINCT run_id FROM sync.sync_log").fetchall()}


def test_old_rows_beyond_the_last_runs_are_dropped_at_the_run_end():
    con = school_file()
    runs = [f"run-{n:02d}" for n in range(KEEP_RUNS + 2)]  # run-00 is the newest
    for n, run in enumerate(runs):
        logged(con, run, f"plan-{n}", KEEP_DAYS + 10 + n)
        con.execute("INSERT INTO sync.sink_attempts VALUES (?, 0, ?, true)", [f"plan-{n}", run])
    LOCAL_STATE.run_saved(con, "run-00")
    assert runs_in_log(con) == set(runs[:KEEP_RUNS])
    assert con.execute("SELECT count(*) FROM sync.sync_log").fetchall()[0][0] == 2 * KEEP_RUNS
    # Attempts stay: a changeset seen again takes its next generation from them.
    assert con.execute("SELECT count(*) FROM sync.sink_attempts").fetchall()[0][0] == len(runs)


def test_recent_rows_and_an_open_attempts_rows_are_kept_however_many_runs_ago():
    con = school_file()
    recent = [f"recent-{n:02d}" for n in range(KEEP_RUNS + 1)]
    for n, run in enumerate(recent):
        logged(con, run, f"plan-r{n}", 1 + n)
    logged(con, "old-a", "plan-a", KEEP_DAYS + 1)
    logged(con, "old-b", "plan-b", KEEP_DAYS + 2)
    # An attempt cut short long ago, still open: its rows say what it applied so far.
    logged(con, "killed", "plan-open", KEEP_DAYS + 100, rows=3)
    con.execute("INSERT INTO sync.sink_attempts VALUES ('plan-open', 4, 'killed', false)")
    con.execute("INSERT INTO sync.sink_attempts VALUES ('plan-a', 0, 'old-a', true)")
    LOCAL_STATE.run_saved(con, recent[0])
    assert runs_in_log(con) == {*recent, "killed"}
    assert (
        con.execute("SELECT count(*) FROM sync.sync_log WHERE run_id = 'killed'").fetchall()[0][0]
        == 3
    )
    LOCAL_STATE.run_saved(con, recent[0])  # nothing more to drop
    assert runs_in_log(con) == {*recent, "killed"}
