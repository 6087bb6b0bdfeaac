"""What "the exact final state" means in the fault tests, as two assertions.

Either the org holds exactly the roster's users, field for field (a fresh org), or a further
sync finds nothing to send: the platform already matches what a clean sync would produce.
"""

from __future__ import annotations

import duckdb

from sis_pipeline_tests.sync_harness import SyncHarness

COMPARED_FIELDS = (
    "member_type",
    "first_name",
    "last_name",
    "email",
    "graduation_year",
    "grade_level",
)


def assert_platform_is_the_roster(harness: SyncHarness, key: str = "riverdale") -> None:
    with duckdb.connect(str(harness.schools.database_path(key))) as con:
        roster = con.execute(
            f"SELECT host_id, {', '.join(COMPARED_FIELDS)} FROM sync.roster"
        ).fetchall()
    users = harness.users(harness.config.school(key).org_id)
    assert len(users) == len(roster)
    for host_id, *values in roster:
        user = users[host_id]
        assert user["status"] == "active"
        assert tuple(user[name] for name in COMPARED_FIELDS) == tuple(values), host_id


def assert_nothing_left_to_do(harness: SyncHarness, key: str = "riverdale") -> None:
    harness.sandbox.platform.reset_counters()
    again = harness.sync(key)
    assert again.exit_code == 0, again.errors
    assert again.summary["unchanged"] > 0
    assert harness.sandbox.platform.counters["batch_requests"] == 0
