"""Weekly schedules: one per school in its own slot, skipped in a pause, none when `off`."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import dagster as dg

from sis_pipeline.automation.weekly_schedule import cron_for
from sis_pipeline.definitions import build_definitions

SCHOOLS = """
a_school:
  name: A
  org_id: a
  schedule: {weekday: monday, time: "06:00", timezone: UTC}
  pauses:
    - {from: 2027-06-20, to: 2027-08-20, reason: summer break}
b_school:
  name: B
  org_id: b
c_school:
  name: C
  org_id: c
  schedule: {weekday: wednesday, time: "21:30", timezone: America/New_York}
d_school:
  name: D
  org_id: d
  schedule: off
"""


def evaluate(defs: dg.Definitions, name: str, tick: datetime) -> dg.ScheduleExecutionData:
    # Both as context managers: each leaves Dagster's current-instance state as it found it.
    with (
        dg.instance_for_test() as instance,
        dg.build_schedule_context(
            instance=instance,
            scheduled_execution_time=tick,
            repository_def=defs.get_repository_def(),
        ) as context,
    ):
        return defs.get_schedule_def(name).evaluate_tick(context)


def test_one_schedule_per_school_named_by_school_with_its_slot(schools_file):
    defs = build_definitions(schools_file(SCHOOLS))
    schedules = {s.name: s for s in defs.schedules}
    assert sorted(schedules) == [
        "weekly_sync_a_school",
        "weekly_sync_b_school",
        "weekly_sync_c_school",
    ]
    assert schedules["weekly_sync_b_school"].cron_schedule == "0 6 * * 1"  # the default slot
    assert schedules["weekly_sync_b_school"].execution_timezone == "UTC"
    c_school = schedules["weekly_sync_c_school"]
    assert c_school.cron_schedule == cron_for("wednesday", "21:30") == "30 21 * * 3"
    assert c_school.execution_timezone == "America/New_York"
    assert "c_school" in c_school.description
    assert "Wednesdays 21:30 America/New_York" in c_school.description
    assert (
        "2027-06-20 to 2027-08-20 (summer break)" in schedules["weekly_sync_a_school"].description
    )


def test_an_unpaused_week_requests_the_school_with_a_week_stable_run_key(schools_file):
    defs = build_definitions(schools_file(SCHOOLS))
    data = evaluate(defs, "weekly_sync_a_school", datetime(2027, 6, 14, 6, tzinfo=ZoneInfo("UTC")))
    assert [(r.partition_key, r.run_key) for r in data.run_requests] == [
        ("a_school", "2027-W24:a_school")
    ]
    assert data.skip_message is None
    # A request without a job name runs the schedule's own job: the sync.
    assert defs.get_schedule_def("weekly_sync_a_school").job_name == "school_sync"
    assert [r.job_name for r in data.run_requests] == [None]


def test_a_paused_week_is_skipped_with_the_reason(schools_file):
    defs = build_definitions(schools_file(SCHOOLS))
    for day in (21, 28):  # inside the pause
        tick = datetime(2027, 6, day, 6, tzinfo=ZoneInfo("UTC"))
        data = evaluate(defs, "weekly_sync_a_school", tick)
        assert not data.run_requests
        assert data.skip_message == "a_school is paused from 2027-06-20 to 2027-08-20: summer break"
    # The pause's last day is inclusive; the week after it syncs again.
    assert evaluate(
        defs, "weekly_sync_a_school", datetime(2027, 8, 16, 6, tzinfo=ZoneInfo("UTC"))
    ).skip_message
    resumed = evaluate(
        defs, "weekly_sync_a_school", datetime(2027, 8, 23, 6, tzinfo=ZoneInfo("UTC"))
    )
    assert [r.partition_key for r in resumed.run_requests] == ["a_school"]


def test_a_pause_counts_days_in_the_school_time_zone(schools_file):
    config = schools_file(
        """
        late:
          name: Late
          org_id: late
          schedule: {weekday: sunday, time: "23:30", timezone: America/New_York}
          pauses: [{from: 2027-06-20, to: 2027-06-20, reason: one day}]
        """
    )
    defs = build_definitions(config)
    # Sunday 23:30 in New York on 2027-06-20 is already Monday in UTC.
    tick = datetime(2027, 6, 20, 23, 30, tzinfo=ZoneInfo("America/New_York"))
    data = evaluate(defs, "weekly_sync_late", tick.astimezone(ZoneInfo("UTC")))
    assert data.skip_message and "one day" in data.skip_message


def test_schedule_off_gives_the_school_no_schedule_but_keeps_its_partition(schools_file):
    defs = build_definitions(schools_file(SCHOOLS))
    assert "weekly_sync_d_school" not in {s.name for s in defs.schedules}
    roster = defs.resolve_asset_graph().get(dg.AssetKey("roster"))
    assert "d_school" in roster.partitions_def.get_partition_keys()
