"""Weekly schedules: one per slot, one run request per school with a week-stable run key."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import dagster as dg

from sis_pipeline.automation.weekly_schedule import cron_for, schedule_slots
from sis_pipeline.definitions import build_definitions

SCHOOLS = """
a_school:
  name: A
  org_id: a
  schedule: {weekday: monday, time: "06:00", timezone: UTC}
b_school:
  name: B
  org_id: b
c_school:
  name: C
  org_id: c
  schedule: {weekday: wednesday, time: "21:30", timezone: America/New_York}
"""


def test_slots_group_schools_and_default_to_monday_six_utc(schools_file):
    config = schools_file(SCHOOLS)
    assert schedule_slots(config) == {
        ("monday", "06:00", "UTC"): ["a_school", "b_school"],
        ("wednesday", "21:30", "America/New_York"): ["c_school"],
    }
    assert cron_for("wednesday", "21:30") == "30 21 * * 3"


def test_a_tick_requests_one_run_per_school_in_its_slot(schools_file):
    defs = build_definitions(schools_file(SCHOOLS))
    schedule = defs.get_schedule_def("weekly_sync_monday_06_00_utc")
    assert schedule.cron_schedule == "0 6 * * 1"
    tick = datetime(2026, 11, 30, 6, 0, tzinfo=ZoneInfo("UTC"))
    with dg.instance_for_test() as instance:
        context = dg.build_schedule_context(
            instance=instance,
            scheduled_execution_time=tick,
            repository_def=defs.get_repository_def(),
        )
        requests = schedule.evaluate_tick(context).run_requests
    assert [(r.partition_key, r.run_key) for r in requests] == [
        ("a_school", "2026-W49:a_school"),
        ("b_school", "2026-W49:b_school"),
    ]
    # A request without a job name runs the schedule's own job: the sync.
    assert schedule.job_name == "school_sync"
    assert [r.job_name for r in requests] == [None, None]


def test_the_other_slot_runs_in_its_own_time_zone(schools_file):
    defs = build_definitions(schools_file(SCHOOLS))
    schedule = defs.get_schedule_def("weekly_sync_wednesday_21_30_america_new_york")
    assert schedule.execution_timezone == "America/New_York"
