"""What "the exact final state" means in the fault tests, as two assertions.

The org holds the roster's users, active and field for field, and nobody else active; or,
checked the slow way, a further sync finds nothing to send. Either way the platform matches
what a clean sync produces.
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
    """Every roster user active with the roster's fields; every other user inactive, but for
    people whose records are quarantined, whose accounts the sync leaves as they are."""
    with duckdb.connect(str(harness.schools.database_path(key))) as con:
        roster = con.execute(
            f"SELECT host_id, {', '.join(COMPARED_FIELDS)} FROM sync.roster"
        ).fetchall()
        quarantined = {h for (h,) in con.execute("SELECT host_id FROM sync.quarantine").fetchall()}
    users = harness.users(harness.config.school(key).org_id)
    for host_id, *values in roster:
        user = users[host_id]
        assert user["status"] == "active"
        assert tuple(user[name] for name in COMPARED_FIELDS) == tuple(values), host_id
    rostered = {host_id for host_id, *_ in roster}
    left_alone = rostered | quarantined
    assert all(u["status"] == "inactive" for h, u in users.items() if h not in left_alone)


def assert_nothing_left_to_do(harness: SyncHarness, key: str = "riverdale") -> None:
    harness.sandbox.platform.reset_counters()
    again = harness.sync(key)
    assert again.exit_code == 0, again.errors
    assert again.summary["unchanged"] > 0
    assert harness.sandbox.platform.counters["batch_requests"] == 0
