"""Every sync or reconcile run, however it ended, writes its report and e-mails its summary.

Inside the run, job hooks do it: a success hook on the job's last step and a failure hook on
any step, so a run started from the command line notifies with no daemon running. A run
that died before its hooks could (its process killed, its worker lost) is caught by a
run-status sensor once Dagster marks it failed or canceled. The run tag
`sis_pipeline/notified` records that a run was reported, and how the mail went, so no run
is reported twice. Nothing here ever fails a run or makes it run again: a mail server that
is down is retried briefly, then logged.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import dagster as dg

from sis_pipeline.automation.run_facts import PARTITION_TAG, run_facts
from sis_pipeline.config.schools_file import ConfigError
from sis_pipeline.notify import smtp
from sis_pipeline.notify.message import compose, recipients
from sis_pipeline.notify.report import render, write_report
from sis_pipeline.resources.schools import SchoolsResource

NOTIFIED_TAG = "sis_pipeline/notified"
# Values of NOTIFIED_TAG: how the run's summary went.
SENT, UNDELIVERED, NO_RECIPIENTS, NOT_CONFIGURED = "sent", "undelivered", "no_recipients", "off"


def report_run_end(
    instance: dg.DagsterInstance,
    run_id: str,
    schools: SchoolsResource,
    kind: str,
    log: Callable[[str], None],
    *,
    inside_the_run: bool,
) -> str | None:
    """Write the run's report and send its e-mail, once per run; returns the tag's value."""
    run = instance.get_run_by_id(run_id)
    if run is None or NOTIFIED_TAG in run.tags or PARTITION_TAG not in run.tags:
        return None
    try:
        config = schools.config()
        facts = run_facts(instance, run, config, schools, kind, log, inside_the_run)
    except ConfigError as error:
        log(f"no run report or summary: {error.problems[0]}")
        return None
    try:
        write_report(Path(facts.report_path), render(facts))
    except OSError as error:  # the e-mail still goes: it says as much as the report
        log(f"run report not written to {facts.report_path}: {error.strerror or error}")
    status = NOT_CONFIGURED
    settings = config.notifications
    if settings is not None:
        to = recipients(config.school(facts.school).notify, settings.operators)
        status = NO_RECIPIENTS
        if to:
            message = compose(facts, settings.from_, to)
            status = SENT if smtp.send(message, settings.smtp, log) else UNDELIVERED
    instance.add_run_tags(run_id, {NOTIFIED_TAG: status})
    return status


def notification_hooks(last_step: str, kind: str) -> set[dg.HookDefinition]:
    """The hooks of a job whose last step is `last_step`: it reports the run when it succeeds,
    and any step reports it when it fails (the steps after it are skipped)."""

    @dg.success_hook(name="report_when_done", required_resource_keys={"schools"})
    def report_when_done(context: dg.HookContext) -> None:
        if context.step_key == last_step:
            _report_from_hook(context, kind)

    @dg.failure_hook(name="report_on_failure", required_resource_keys={"schools"})
    def report_on_failure(context: dg.HookContext) -> None:
        _report_from_hook(context, kind)

    return {report_when_done, report_on_failure}


def _report_from_hook(context: dg.HookContext, kind: str) -> None:
    try:
        report_run_end(
            context.instance,
            context.run_id,
            context.resources.schools,
            kind,
            context.log.warning,
            inside_the_run=True,
        )
    except Exception as error:  # noqa: BLE001 - a report must never fail the sync it reports
        context.log.error(f"run report or summary failed: {type(error).__name__}: {error}")


def run_kind(run: dg.DagsterRun, kinds: dict[str, str]) -> str | None:
    """ "sync" or "reconcile" for a school's run, by its job, or by its assets when it was
    started from the asset graph (the implicit asset job, which has no hooks); else None."""
    if run.job_name in kinds:
        return kinds[run.job_name]
    selection = run.asset_selection or set()
    if dg.AssetKey("platform_sync") in selection:
        return "sync"
    if dg.AssetKey("reconciliation") in selection:
        return "reconcile"
    return None


def build_notification_sensors(kinds: dict[str, str]) -> list[dg.SensorDefinition]:
    """Sensors for the school runs that ended unreported: runs of the jobs in `kinds` (job name
    -> "sync" or "reconcile") that died before their hooks could report them, and runs of the
    sync's or reconciliation's assets started from the asset graph, which have no hooks. Those
    are reported from their Dagster record alone: the school's DuckDB file is left to its
    runs."""

    def report(context: dg.RunStatusSensorContext, schools: SchoolsResource) -> None:
        run = context.dagster_run
        kind = run_kind(run, kinds)
        if kind is not None:
            report_run_end(
                context.instance,
                run.run_id,
                schools,
                kind,
                context.log.warning,
                inside_the_run=False,
            )

    @dg.run_failure_sensor(
        name="report_failed_runs",
        default_status=dg.DefaultSensorStatus.RUNNING,
        description="Writes the report and e-mails the summary of a school's run that failed "
        "without doing so itself (a killed process, a lost worker, a run without hooks).",
    )
    def report_failed_runs(context: dg.RunFailureSensorContext, schools: SchoolsResource):
        report(context, schools)

    @dg.run_status_sensor(
        name="report_canceled_runs",
        run_status=dg.DagsterRunStatus.CANCELED,
        default_status=dg.DefaultSensorStatus.RUNNING,
        description="Writes the report and e-mails the summary of a school's canceled run.",
    )
    def report_canceled_runs(context: dg.RunStatusSensorContext, schools: SchoolsResource):
        report(context, schools)

    @dg.run_status_sensor(
        name="report_unhooked_runs",
        run_status=dg.DagsterRunStatus.SUCCESS,
        default_status=dg.DefaultSensorStatus.RUNNING,
        description="Writes the report and e-mails the summary of a school's sync or "
        "reconciliation materialised from the asset graph rather than by its job.",
    )
    def report_unhooked_runs(context: dg.RunStatusSensorContext, schools: SchoolsResource):
        report(context, schools)

    return [report_failed_runs, report_canceled_runs, report_unhooked_runs]
