"""A sync killed with SIGKILL, mid-sink or mid-extraction: the next run ends in the exact state.

"Exact" is checked two ways: a further sync finds nothing to change (the platform matches the
roster field for field) and the platform's own counters show each operation applied once.
"""

from __future__ import annotations

import time

import duckdb

from sis_pipeline.sandbox.district import next_week
from sis_pipeline.sandbox.platform import PlatformFaults
from sis_pipeline.sandbox.powerschool import PowerSchoolFaults
from sis_pipeline_tests.cli.cli_process import kill_when, start_cli
from sis_pipeline_tests.sync_harness import sync_harness

BATCH_LATENCY = 0.5


def assert_nothing_left_to_do(harness, key: str = "riverdale") -> None:
    harness.sandbox.platform.reset_counters()
    again = harness.sync(key)
    assert again.exit_code == 0, again.errors
    assert again.summary["unchanged"] > 0
    assert harness.sandbox.platform.counters["batch_requests"] == 0


def assert_platform_is_the_roster(harness, key: str = "riverdale") -> None:
    """A fresh org after a sync: exactly the roster's users, active, field for field."""
    fields = ("member_type", "first_name", "last_name", "email", "graduation_year", "grade_level")
    with duckdb.connect(str(harness.schools.database_path(key))) as con:
        roster = con.execute(f"SELECT host_id, {', '.join(fields)} FROM sync.roster").fetchall()
    users = harness.users(harness.config.school(key).org_id)
    assert len(users) == len(roster)
    for host_id, *values in roster:
        user = users[host_id]
        assert user["status"] == "active"
        assert tuple(user[name] for name in fields) == tuple(values), host_id


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
        assert_nothing_left_to_do(harness)
