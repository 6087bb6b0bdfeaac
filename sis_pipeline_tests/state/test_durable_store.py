"""The shared state layer on a real PostgreSQL server: what one worker writes, another loads."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from sis_pipeline.sink.sync_log import (
    KEEP_DAYS,
    KEEP_RUNS,
    begin_attempt,
    finish_attempt,
    log_outcomes,
)
from sis_pipeline.state.durable_store import (
    DURABLE_TABLES,
    SchoolBusyElsewhere,
    create_local_tables,
    shared_state,
)
from sis_pipeline.state.run_history import baseline_counts, record_run
from sis_pipeline_tests.postgres_database import fresh_database, query, requires_postgres


def worker(folder: Path) -> duckdb.DuckDBPyConnection:
    """A worker's own DuckDB file (its scratch data dir)."""
    folder.mkdir()
    con = duckdb.connect(str(folder / "sis.duckdb"))
    con.execute("CREATE SCHEMA sync")
    return con


def table_rows(con: duckdb.DuckDBPyConnection) -> dict[str, list[tuple]]:
    rows = {}
    for table in DURABLE_TABLES:
        names = ", ".join(name for name, _ in table.columns)
        rows[table.name] = con.execute(
            f"SELECT {names} FROM sync.{table.name} ORDER BY ALL"
        ).fetchall()
    return rows


@requires_postgres
def test_an_open_attempt_written_on_one_worker_is_resumed_by_another(tmp_path):
    with fresh_database() as dsn:
        first, second = worker(tmp_path / "a"), worker(tmp_path / "b")
        with shared_state(dsn, "riverdale") as state:
            state.load_into(first)
            generation = begin_attempt(first, "plan-1", "run-a")
            state.attempt_saved(first, "plan-1", generation)
            log_outcomes(first, [("run-a", "plan-1", "key-0", "S1", "create", "ok", None, None)])
            state.batches_logged(first, "run-a", ["key-0"])
        # The first worker died before finishing; the second finds the attempt still open.
        with shared_state(dsn, "riverdale") as state:
            state.load_into(second)
            assert table_rows(second) == table_rows(first)
            assert begin_attempt(second, "plan-1", "run-b") == generation
            finish_attempt(second, "plan-1", generation)
            state.attempt_saved(second, "plan-1", generation)
        # A finished attempt is finished everywhere: the same plan takes the next generation.
        with shared_state(dsn, "riverdale") as state:
            state.load_into(first)
            assert begin_attempt(first, "plan-1", "run-c") == generation + 1
        assert query(dsn, "SELECT host_id, status FROM sis_state.sync_log") == [("S1", "ok")]


@requires_postgres
def test_the_health_baseline_and_the_reconciliation_plan_travel_between_workers(tmp_path):
    with fresh_database() as dsn:
        first, second = worker(tmp_path / "a"), worker(tmp_path / "b")
        with shared_state(dsn, "riverdale") as state:
            state.load_into(first)
            record_run(first, "run-a", False, 0, "plan-1", {"created": 3}, {"students": 120}, {})
            state.run_saved(first, "run-a")
            first.execute(
                "INSERT INTO sync.rename_plan VALUES ('2038788', 'S2038788', 's', 'mapping', 2)"
            )
            state.reconciliation_saved(first)
        with shared_state(dsn, "riverdale") as state:
            state.load_into(second)
        assert baseline_counts(second) == {"students": 120}
        assert table_rows(second) == table_rows(first)
        assert second.execute("SELECT old_host_id FROM sync.rename_plan").fetchall() == [
            ("2038788",)
        ]


@requires_postgres
def test_a_school_first_seen_adopts_its_duckdb_history_and_schools_stay_apart(tmp_path):
    with fresh_database() as dsn:
        existing, other = worker(tmp_path / "a"), worker(tmp_path / "b")
        create_local_tables(existing)
        record_run(existing, "old-run", False, 0, "plan-0", {}, {"students": 80}, {})
        with shared_state(dsn, "riverdale") as state:
            state.load_into(existing)
        assert baseline_counts(existing) == {"students": 80}  # not wiped by the first load
        with shared_state(dsn, "hillcrest") as state:
            state.load_into(other)
        assert baseline_counts(other) is None
        with shared_state(dsn, "riverdale") as state:
            state.load_into(other)
        assert baseline_counts(other) == {"students": 80}


@requires_postgres
def test_one_run_per_school_across_workers(tmp_path):
    with fresh_database() as dsn, shared_state(dsn, "riverdale"):
        with (
            pytest.raises(SchoolBusyElsewhere, match="another run of this school is in progress"),
            shared_state(dsn, "riverdale"),
        ):
            pass
        with shared_state(dsn, "hillcrest"):
            pass


@requires_postgres
def test_an_unreachable_state_database_is_named_without_its_password():
    dsn = "postgresql://sync:hunter2secret@127.0.0.1:1/state"
    with pytest.raises(ConnectionError) as raised, shared_state(dsn, "riverdale"):
        pass
    assert str(raised.value) == "SIS_PIPELINE_STATE_URL: cannot connect to the state database"


def test_the_shared_tables_have_every_column_of_the_duckdb_tables():
    con = duckdb.connect()
    con.execute("CREATE SCHEMA sync")
    create_local_tables(con)
    for table in DURABLE_TABLES:
        local = con.execute(
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_schema = 'sync' AND table_name = ? ORDER BY ordinal_position",
            [table.name],
        ).fetchall()
        assert sorted(name for (name,) in local) == sorted(name for name, _ in table.columns)


@requires_postgres
def test_the_pruned_log_is_pruned_in_postgresql_too_and_an_open_attempt_kept(tmp_path):
    with fresh_database() as dsn:
        first, second = worker(tmp_path / "a"), worker(tmp_path / "b")
        with shared_state(dsn, "riverdale") as state:
            state.load_into(first)
            for n in range(KEEP_RUNS + 2):  # run-00 the newest, all older than KEEP_DAYS
                run, plan = f"run-{n:02d}", f"plan-{n}"
                generation = begin_attempt(first, plan, run)
                log_outcomes(first, [(run, plan, "key-0", f"S{n}", "create", "ok", None, None)])
                first.execute(
                    "UPDATE sync.sync_log SET logged_at = now()::TIMESTAMP - to_days(?::INTEGER) "
                    "WHERE run_id = ?",
                    [KEEP_DAYS + 10 + n, run],
                )
                if n != KEEP_RUNS + 1:  # the oldest run's attempt was cut short: still open
                    finish_attempt(first, plan, generation)
                state.attempt_saved(first, plan, generation)
                state.batches_logged(first, run, ["key-0"])
            other = [("another", "plan-x", "key-0", "S9", "create", "ok", None, None)]
        with shared_state(dsn, "hillcrest") as state:  # another school's rows stay
            state.load_into(second)
            log_outcomes(second, other)
            state.batches_logged(second, "another", ["key-0"])
        assert query(dsn, "SELECT count(*) FROM sis_state.sync_log")[0][0] == KEEP_RUNS + 3
        with shared_state(dsn, "riverdale") as state:
            record_run(first, "run-00", False, 0, "plan-0", {}, {}, {})
            state.run_saved(first, "run-00")
        kept = {f"run-{n:02d}" for n in [*range(KEEP_RUNS), KEEP_RUNS + 1]}
        assert {run for (run,) in first.execute("SELECT run_id FROM sync.sync_log").fetchall()} == (
            kept
        )
        assert set(query(dsn, "SELECT school, run_id FROM sis_state.sync_log")) == {
            *(("riverdale", run) for run in kept),
            ("hillcrest", "another"),
        }
        assert query(dsn, "SELECT count(*) FROM sis_state.sink_attempts")[0][0] == KEEP_RUNS + 2
