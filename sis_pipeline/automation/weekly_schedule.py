"""Weekly sync schedules: one per school, in the school's own slot (weekday, time, time zone).

A school with `schedule: off` gets none. A tick that falls on a day of one of the school's
`pauses` is skipped with the pause's reason, which the UI shows on the tick. The run key names
the ISO week, so a school is synced at most once per week by its schedule however often the
tick is retried.
"""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import dagster as dg

from sis_pipeline.config.models import ScheduleSettings, SchoolSettings
from sis_pipeline.config.schools_file import SchoolsConfig

WEEKDAYS = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"]


def schedule_name(key: str) -> str:
    return f"weekly_sync_{key}"


def cron_for(weekday: str, time: str) -> str:
    hour, minute = (int(part) for part in time.split(":"))
    return f"{minute} {hour} * * {WEEKDAYS.index(weekday)}"


def slot_text(slot: ScheduleSettings) -> str:
    return f"{slot.weekday.capitalize()}s {slot.time} {slot.timezone}"


def tick_for(
    key: str, school: SchoolSettings, scheduled_for: datetime
) -> dg.RunRequest | dg.SkipReason:
    """The school's run for the week of `scheduled_for`, or why there is none."""
    zone = ZoneInfo(school.schedule.timezone if school.schedule else "UTC")
    day = scheduled_for.astimezone(zone).date()
    pause = school.pause_on(day)
    if pause is not None:
        return dg.SkipReason(f"{key} is paused from {pause.from_} to {pause.to}: {pause.reason}")
    year, week, _ = day.isocalendar()
    return dg.RunRequest(partition_key=key, run_key=f"{year}-W{week:02d}:{key}")


def description_for(key: str, school: SchoolSettings, slot: ScheduleSettings) -> str:
    text = f"Weekly sync of {key} ({school.name}), {slot_text(slot)}."
    if school.pauses:
        windows = "; ".join(f"{p.from_} to {p.to} ({p.reason})" for p in school.pauses)
        text += f" Paused {windows}."
    return text


def build_weekly_schedules(
    config: SchoolsConfig, target: dg.UnresolvedAssetJobDefinition
) -> list[dg.ScheduleDefinition]:
    schedules = []
    for key, school in sorted(config.schools.items()):
        slot = school.schedule
        if slot is None:
            continue

        def tick(
            context: dg.ScheduleEvaluationContext, key: str = key, school: SchoolSettings = school
        ):
            return tick_for(key, school, context.scheduled_execution_time or datetime.now(UTC))

        schedules.append(
            dg.ScheduleDefinition(
                name=schedule_name(key),
                cron_schedule=cron_for(slot.weekday, slot.time),
                execution_timezone=slot.timezone,
                job=target,
                execution_fn=tick,
                description=description_for(key, school, slot),
                default_status=dg.DefaultScheduleStatus.RUNNING,
            )
        )
    return schedules
