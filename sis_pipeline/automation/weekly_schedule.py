"""Weekly sync schedules: one per distinct slot (weekday, time, time zone) in the schools file.

Each tick asks for one run per school in that slot; the run key names the ISO week, so a
school is synced at most once per week by its schedule however often the tick is retried.
"""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import datetime

import dagster as dg

from sis_pipeline.config.schools_file import SchoolsConfig

WEEKDAYS = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"]


def schedule_slots(config: SchoolsConfig) -> dict[tuple[str, str, str], list[str]]:
    """(weekday, HH:MM, time zone) -> school keys synced in that slot, sorted."""
    slots: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    for key, school in sorted(config.schools.items()):
        slot = (school.schedule.weekday, school.schedule.time, school.schedule.timezone)
        slots[slot].append(key)
    return dict(slots)


def cron_for(weekday: str, time: str) -> str:
    hour, minute = (int(part) for part in time.split(":"))
    return f"{minute} {hour} * * {WEEKDAYS.index(weekday)}"


def run_requests(school_keys: list[str], scheduled_for: datetime) -> list[dg.RunRequest]:
    year, week, _ = scheduled_for.isocalendar()
    return [
        dg.RunRequest(partition_key=key, run_key=f"{year}-W{week:02d}:{key}") for key in school_keys
    ]


def build_weekly_schedules(
    config: SchoolsConfig, target: dg.UnresolvedAssetJobDefinition
) -> list[dg.ScheduleDefinition]:
    schedules = []
    for (weekday, time, zone), keys in schedule_slots(config).items():
        name = re.sub(r"[^a-z0-9_]", "_", f"weekly_sync_{weekday}_{time}_{zone}".lower())

        def tick(context: dg.ScheduleEvaluationContext, keys: list[str] = keys):
            yield from run_requests(keys, context.scheduled_execution_time)

        schedules.append(
            dg.ScheduleDefinition(
                name=name,
                cron_schedule=cron_for(weekday, time),
                execution_timezone=zone,
                job=target,
                execution_fn=tick,
                description=f"Weekly sync of {len(keys)} school(s): {', '.join(keys)}",
                default_status=dg.DefaultScheduleStatus.RUNNING,
            )
        )
    return schedules
