"""Sensor: runs on this host that were killed before they ended are marked failed.

A school's next run does the same before it starts; this sensor is for the runs that wait in
the queue meanwhile (the queue lets one run per school at a time, and a dead run would hold
that place forever). See `resources/dead_runs.py` for how a run is known to be dead.
"""

from __future__ import annotations

import dagster as dg

from sis_pipeline.resources.dead_runs import find_dead_runs, mark_failed
from sis_pipeline.resources.school_lock import lock_is_free
from sis_pipeline.resources.schools import SchoolsResource

SENSOR_NAME = "dead_runs"


def build_dead_run_sensor() -> dg.SensorDefinition:
    @dg.sensor(
        name=SENSOR_NAME,
        minimum_interval_seconds=60,
        default_status=dg.DefaultSensorStatus.RUNNING,
        description="Marks failed the runs on this host whose process is gone without ending "
        "them (killed or crashed), so the school's queued runs can start.",
    )
    def dead_runs(context: dg.SensorEvaluationContext, schools: SchoolsResource) -> dg.SkipReason:
        dead = find_dead_runs(context.instance, lambda key: lock_is_free(schools.school_dir(key)))
        for run in dead:
            mark_failed(context.instance, run, f"sensor {SENSOR_NAME}")
            context.log.warning(f"run {run.run.run_id}: {run.reason}; marked failed")
        if not dead:
            return dg.SkipReason("no dead runs")
        return dg.SkipReason(f"marked {len(dead)} dead runs failed")

    return dead_runs
