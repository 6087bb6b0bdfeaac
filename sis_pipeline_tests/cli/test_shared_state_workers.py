"""Two workers, one PostgreSQL: runs of one school on either end in the exact platform state.

Each worker is a separate `sis-pipeline` process with its own DAGSTER_HOME and data dir; the
Dagster instance and the school's durable state (run history, attempts, sync log) are in the
one database, so a run sees what the other worker's runs did.
"""

from __future__ import annotations

import time

import duckdb

from sis_pipeline.sandbox.platform import PlatformFaults
from sis_pipeline.state.durable_store import shared_state
from sis_pipeline_tests.assets.sink.test_partial_failure import week_two
from sis_pipeline_tests.cli.cli_process import kill_when, run_cli, start_cli
from sis_pipeline_tests.cli.exact_state import assert_platform_is_the_roster
from sis_pipeline_tests.cli.shared_workers import worker_environment
from sis_pipeline_tests.postgres_database import fresh_database, query, requires_postgres
from sis_pipeline_tests.sync_harness import sync_harness

pytestmark = requires_postgres
BATCH_LATENCY = 1.5


def logged_ok(dsn: str) -> int:
    """Operations the shared sync log holds as applied (0 before the first run made it)."""
    made = query(dsn, "SELECT to_regclass('sis_state.sync_log') IS NOT NULL")[0][0]
    if not made:
        return 0
    return query(dsn, "SELECT count(*) FROM sis_state.sync_log WHERE status = 'ok'")[0][0]


def sync_on(harness, env: dict[str, str]) -> int:
    done = run_cli(harness, "sync", "--school", "riverdale", "--json", env=env)
    assert "Traceback" not in done.stderr, done.stderr[-3000:]
    return done.returncode


def test_alternating_workers_retry_refused_operations_and_end_exact(tmp_path):
    with sync_harness(tmp_path) as harness, fresh_database() as dsn:
        # Worker a's data dir is the harness's, so the helpers read its DuckDB file.
        a = worker_environment(harness, "a", dsn, data_dir=harness.schools.root)
        b = worker_environment(harness, "b", dsn)
        platform = harness.sandbox.platform
        assert sync_on(harness, a) == 0

        chosen = week_two(harness)
        codes = {"update": "invalid_field", "deactivate": "not_found", "create": "host_id_conflict"}
        platform.faults = PlatformFaults(
            refuse_host_ids={chosen[action]: code for action, code in codes.items()}
        )
        assert sync_on(harness, b) == 1  # three refused, the rest applied
        assert sync_on(harness, a) == 1  # the same three refused again: one finished attempt

        # Worker b has never seen a's attempt at those three; only the shared state tells it
        # to take a new generation rather than replay a's refusals under a's keys.
        platform.faults = PlatformFaults()
        platform.reset_counters()
        assert sync_on(harness, b) == 0
        assert platform.counters["operations_applied"] == 3
        users = harness.users()
        assert users[chosen["update"]]["first_name"] == "Renamed"
        assert users[chosen["deactivate"]]["status"] == "inactive"
        assert users[chosen["create"]]["status"] == "active"

        platform.reset_counters()
        assert sync_on(harness, a) == 0
        assert platform.counters["batch_requests"] == 0
        assert_platform_is_the_roster(harness)

        assert query(dsn, "SELECT count(*) FROM sis_state.runs")[0][0] == 5
        assert query(dsn, "SELECT count(*) FROM runs")[0][0] == 5  # Dagster's run storage
        database = harness.schools.database_path("riverdale")
        with duckdb.connect(str(database)) as con:
            seen_by_a = con.execute("SELECT count(*) FROM sync.runs").fetchall()[0][0]
        assert seen_by_a == 5


def test_a_run_killed_on_one_worker_is_finished_by_the_other_applying_each_operation_once(
    tmp_path,
):
    # 2500 people give riverdale about 1350 users: three batches of at most 500.
    with sync_harness(tmp_path, people=2500) as harness, fresh_database() as dsn:
        b = worker_environment(harness, "b", dsn, data_dir=harness.schools.root)
        a = worker_environment(harness, "a", dsn)
        platform = harness.sandbox.platform
        # A batch takes longer than the sink waits between log writes (about a second), so the
        # first batch is logged while the second is in flight.
        platform.faults = PlatformFaults(latency_seconds=BATCH_LATENCY)
        run = start_cli(harness, "sync", "--school", "riverdale", "--json", env=a)
        kill_when(
            run,
            lambda: logged_ok(dsn) >= 500,
            "the first batch applied and logged in the shared state",
        )
        time.sleep(BATCH_LATENCY * 1.5)  # a batch the killed run had in flight still lands
        applied_before = platform.counters["created"]
        assert 500 <= applied_before < 1300
        (killed_run,) = query(dsn, "SELECT run_id FROM sis_state.sink_attempts WHERE NOT finished")

        platform.faults = PlatformFaults()
        assert sync_on(harness, b) == 0
        users = harness.users()
        counters = platform.counters
        assert counters["created"] == len(users) == counters["operations_applied"]
        assert counters["updated"] == 0
        assert_platform_is_the_roster(harness)
        # Worker b's DuckDB file holds the killed run's log rows: it saw a's first batch.
        database = harness.schools.database_path("riverdale")
        with duckdb.connect(str(database)) as con:
            logged = con.execute(
                "SELECT count(*) FROM sync.sync_log WHERE run_id = ? AND status = 'ok'",
                [killed_run[0]],
            ).fetchall()[0][0]
        assert logged >= 500


def test_a_school_running_on_another_worker_is_refused_with_one_line(tmp_path):
    with sync_harness(tmp_path) as harness, fresh_database() as dsn:
        b = worker_environment(harness, "b", dsn)
        with shared_state(dsn, "riverdale"):  # worker a's run of riverdale holds the lock
            done = run_cli(harness, "sync", "--school", "riverdale", "--json", env=b)
        assert done.returncode == 1 and done.stdout == ""
        assert done.stderr.strip().splitlines() == [
            "sis-pipeline: error: schools.riverdale: another run of this school is in progress"
        ]
        assert harness.sandbox.powerschool.request_counts == {}
