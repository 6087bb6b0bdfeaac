"""A sync killed with SIGKILL, mid-sink or mid-extraction: the next run ends in the exact state.

"Exact" as `exact_state.py` checks it, and the platform's own counters show each operation
applied once.
"""

from __future__ import annotations

import time

import duckdb

from sis_pipeline.sandbox.district import next_week
from sis_pipeline.sandbox.platform import PlatformFaults
from sis_pipeline.sandbox.powerschool import PowerSchoolFaults
from sis_pipeline_tests.cli.cli_process import kill_when, start_cli
from sis_pipeline_tests.cli.exact_state import assert_platform_is_the_roster
from sis_pipeline_tests.sync_harness import sync_harness

BATCH_LATENCY = 0.5


def test_killed_mid_sink_the_next_run_applies_the_rest_once(tmp_path):
    # 2500 people give riverdale about 1350 users: three batches of at most 500.
    with sync_harness(tmp_path, people=2500) as harness:
        platform = harness.sandbox.platform
        platform.faults = PlatformFaults(latency_seconds=BATCH_LATENCY)
        run = start_cli(harness, "sync", "--school", "riverdale", "--json")
        kill_when(
            run,
            lambda: platform.counters["operations_applied"] >= 500,
            "the first batch applied",
        )
        # A batch the killed run had in flight still lands on the platform; let it.
        time.sleep(BATCH_LATENCY * 1.5)
        applied_before = platform.counters["created"]
        assert 500 <= applied_before < 1300

        platform.faults = PlatformFaults()
        resumed = harness.sync()
        assert resumed.exit_code == 0, resumed.errors
        users = harness.users()
        assert resumed.summary["created"] == len(users) - applied_before
        counters = platform.counters
        assert counters["created"] == len(users) == counters["operations_applied"]
        assert counters["updated"] == 0
        assert_platform_is_the_roster(harness)


def test_killed_mid_extraction_keeps_the_last_complete_snapshot(tmp_path):
    with sync_harness(tmp_path) as harness:
        first = harness.sync()
        assert first.exit_code == 0, first.errors
        database = harness.schools.database_path("riverdale")
        with duckdb.connect(str(database)) as con:
            snapshot = con.execute(
                "SELECT (SELECT count(*) FROM powerschool.students), "
                "(SELECT count(*) FROM powerschool.person), "
                "(SELECT string_agg(host_id, ',' ORDER BY host_id) FROM sync.roster)"
            ).fetchall()

        simulator = harness.sandbox.powerschool
        simulator.set_tables(next_week(harness.sandbox.district, seed=3).tables)
        simulator.faults = PowerSchoolFaults(latency_seconds=0.2)
        simulator.reset_counts()
        run = start_cli(harness, "sync", "--school", "riverdale")
        kill_when(
            run,
            lambda: sum(simulator.request_counts.values()) >= 8,
            "part of the tables read",
        )
        with duckdb.connect(str(database)) as con:
            after_kill = con.execute(
                "SELECT (SELECT count(*) FROM powerschool.students), "
                "(SELECT count(*) FROM powerschool.person), "
                "(SELECT string_agg(host_id, ',' ORDER BY host_id) FROM sync.roster)"
            ).fetchall()
        assert after_kill == snapshot
        assert harness.sandbox.platform.counters["batch_requests"] == 1  # the first sync's

        simulator.faults = PowerSchoolFaults()
        resumed = harness.sync()
        assert resumed.exit_code == 0, resumed.errors
        assert resumed.summary["created"] + resumed.summary["deactivated"] > 0
        assert_platform_is_the_roster(harness)
