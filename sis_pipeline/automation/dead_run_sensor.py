"""Sensor: runs that were killed before they ended are marked failed.

On this host by their process; with the state in PostgreSQL, on any host by their session
there.

A school's next run does the same before it starts; this sensor is for the runs that wait in
the queue meanwhile (the queue lets one run per school at a time, and a dead run would hold
that place forever). See `resources/dead_runs.py` for how a run is known to be dead.
"""

from __future__ import annotations

import dagster as dg

from sis_pipeline.resources.dead_runs import find_dead_runs, find_runs_without_session, mark_failed
from sis_pipeline.resources.school_lock import lock_is_free
from sis_pipeline.resources.schools import SchoolsResource
from sis_pipeline.state.durable_store import state_connection, state_url
from sis_pipeline.state.school_sessions import ended_sessions

SENSOR_NAME = "dead_runs"


def build_dead_run_sensor() -> dg.SensorDefinition:
    @dg.sensor(
        name=SENSOR_NAME,
        minimum_interval_seconds=60,
        default_status=dg.DefaultSensorStatus.RUNNING,
        description="Marks failed the runs whose process is gone without ending them (killed "
        "or crashed; on this host by the process, on any host by its session on the state "
        "database), so the school's queued runs can start.",
    )
    def dead_runs(context: dg.SensorEvaluationContext, schools: SchoolsResource) -> dg.SkipReason:
        dead = find_dead_runs(context.instance, lambda key: lock_is_free(schools.school_dir(key)))
        url = state_url()
        if url is not None:
            found = {run.run.run_id for run in dead}
            with state_connection(url, SENSOR_NAME) as pg:
                elsewhere = find_runs_without_session(
                    context.instance, lambda run_ids: ended_sessions(pg, run_ids)
                )
            dead += [run for run in elsewhere if run.run.run_id not in found]
        for run in dead:
            mark_failed(context.instance, run, f"sensor {SENSOR_NAME}")
            context.log.warning(f"run {run.run.run_id}: {run.reason}; marked failed")
        if not dead:
            return dg.SkipReason("no dead runs")
        return dg.SkipReason(f"marked {len(dead)} dead runs failed")

    return dead_runs
