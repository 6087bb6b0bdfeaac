"""Every run of a school e-mails its summary and writes its report, read back for real.

Syncs and a reconcile run as Dagster runs against the sandbox, with a real SMTP server on
loopback: the messages it received are what is checked. The job hooks send them, so these
runs notify with no daemon; a run that died unreported is caught by the run-status sensor.
"""

from __future__ import annotations

import os
import textwrap
import time

import dagster as dg
import duckdb
import pytest

from sis_pipeline.automation.run_notifications import NOTIFIED_TAG
from sis_pipeline.config.schools_file import load_schools_config
from sis_pipeline.definitions import build_definitions
from sis_pipeline.resources.schools import SchoolsResource
from sis_pipeline.sandbox.platform import PlatformFaults
from sis_pipeline_tests.notify.browser import rendered_dom, visible
from sis_pipeline_tests.notify.mail_server import free_port, mail_server
from sis_pipeline_tests.returning_school import write_mapping
from sis_pipeline_tests.schools_files import write_schools_file
from sis_pipeline_tests.sync_harness import SyncHarness, sync_harness

RIVERDALE = """
riverdale:
  name: Riverdale High School
  org_id: riverdale-high
  powerschool:
    school_numbers: [100]
  optional_fields: [date_of_birth, gender, email]
  notify: [it@riverdale.example]
"""
OPERATORS = "data-team@example.org"


def notifications(port: int) -> str:
    return textwrap.dedent(
        f"""\
        notifications:
          smtp: {{host: 127.0.0.1, port: {port}, starttls: false}}
          from: sis-pipeline@example.org
          operators: [{OPERATORS}]
          dagster_url: https://dagster.example.org/
        """
    )


def mail_to(harness: SyncHarness, port: int) -> None:
    """The harness's schools file, with its summaries sent to the server on `port`."""
    harness.rewrite_schools(RIVERDALE)
    with harness.config_file.open("a", encoding="utf-8") as handle:
        handle.write(notifications(port))
    harness.config = load_schools_config(harness.config_file)


def full_names(frame, first: str, last: str) -> set[str]:
    return {
        f"{given} {family}"
        for given, family in zip(frame[first], frame[last], strict=True)
        if given and family
    }


def personal_data(harness: SyncHarness) -> set[str]:
    """Full names, birth dates and e-mail addresses of everyone in the district."""
    tables = harness.sandbox.district.tables
    students, users = tables["students"], tables["users"]
    return (
        full_names(students, "first_name", "last_name")
        | full_names(users, "first_name", "last_name")
        | full_names(tables["person"], "firstname", "lastname")
        | set(students["lastfirst"].dropna())
        | set(students["dob"].dropna())
        | set(tables["emailaddress"]["emailaddress"].dropna())
        | set(users["email_addr"].dropna())
    )


def run_report(harness: SyncHarness, run_id: str, asset: str) -> str:
    materialization = harness.instance.get_latest_materialization_event(
        dg.AssetKey(asset)
    ).asset_materialization
    assert materialization.metadata["run_report"].value.endswith(f"run-{run_id}.html")
    return materialization.metadata["run_report"].value


def tag(harness: SyncHarness, run_id: str) -> str | None:
    return harness.instance.get_run_by_id(run_id).tags.get(NOTIFIED_TAG)


def test_applied_held_and_refused_syncs_each_mail_their_summary_without_personal_data(tmp_path):
    with mail_server() as mail, sync_harness(tmp_path, schools=RIVERDALE) as harness:
        mail_to(harness, mail.port)

        applied = harness.sync()
        assert applied.exit_code == 0, applied.errors
        [message] = mail.received
        assert message.recipients == ["it@riverdale.example", OPERATORS]
        assert message.message["Subject"] == "sis-pipeline sync riverdale: applied"
        text = message.text
        summary = applied.summary
        assert f"Counts: created {summary['created']}, updated 0," in text
        for member_type in ("student", "teacher", "parent"):
            assert f"  create      {member_type:<8}" in text
        assert f"Quarantined rows: {summary['quarantined']}" in text
        assert f"Dagster: https://dagster.example.org/runs/{applied.run_id}" in text
        report = run_report(harness, applied.run_id, "platform_sync")
        assert f"Run report: {report}" in text
        assert tag(harness, applied.run_id) == "sent"

        # The report of the applied run, as a browser shows it.
        with duckdb.connect(str(harness.schools.database_path("riverdale"))) as con:
            quarantined = con.execute("SELECT host_id, reason FROM sync.quarantine").fetchall()
        page, rows, _ = visible(rendered_dom(harness.schools.root / report))
        assert ["outcome", "applied"] in rows and ["created", str(summary["created"])] in rows
        assert all([h, "student", reason] in rows for h, reason in quarantined if h)
        extracted = (
            harness.instance.get_latest_materialization_event(dg.AssetKey("changeset"))
            .asset_materialization.metadata["source_counts"]
            .value
        )
        assert all([table, str(n)] in rows for table, n in extracted.items())
        steps = {row[0]: row[1:] for row in rows if row and row[0] in ("roster", "platform_sync")}
        assert steps["roster"][0] == "success" and float(steps["platform_sync"][1]) >= 0

        # Held: PowerSchool's students came back empty.
        students = harness.sandbox.district.tables["students"]
        tables = dict(harness.sandbox.district.tables)
        harness.sandbox.powerschool.set_tables({**tables, "students": students.iloc[0:0]})
        held = harness.sync()
        assert held.exit_code == 3, held.errors
        text = mail.received[1].text
        assert mail.received[1].message["Subject"] == "sis-pipeline sync riverdale: held"
        assert f"Held changes: {held.summary['held']}" in text
        assert "table students came back empty" in text.split("Held changes")[1]
        assert f"  mass_deactivation: {held.summary['held']} (" in text
        page, rows, _ = visible(
            rendered_dom(harness.schools.root / run_report(harness, held.run_id, "platform_sync"))
        )
        assert "table students came back empty" in page
        assert sum(1 for row in rows if row[-1:] == ["mass_deactivation"]) == held.summary["held"]

        # Refused: the platform refuses three of the students' updates.
        refused_ids = sorted(h for h in harness.users() if h.startswith("S"))[:3]
        harness.sandbox.platform.faults = PlatformFaults(
            refuse_host_ids=dict.fromkeys(refused_ids, "invalid_field")
        )
        harness.sandbox.powerschool.set_tables(
            {**tables, "students": students.assign(first_name="Renamed")}
        )
        refused = harness.sync()
        assert refused.exit_code == 1
        text = mail.received[2].text
        assert "Outcome: failed" in text and "Failed operations: 3" in text
        assert all(f"  {h} update: invalid_field" in text for h in refused_ids)

        assert len(mail.received) == 3  # one message per run, no more
        everything = "\n".join(m.message.as_string() for m in mail.received)
        personal = personal_data(harness)
        assert len(personal) > 500
        leaked = [value for value in personal if value in everything]
        assert not leaked, f"personal data in the e-mails: {len(leaked)} values"


def test_refused_credentials_a_reconcile_test_run_and_a_mail_server_that_is_down(tmp_path):
    with mail_server() as mail, sync_harness(tmp_path, schools=RIVERDALE) as harness:
        mail_to(harness, mail.port)
        secret = os.environ["TEST_PS_CLIENT_SECRET"]
        os.environ["TEST_PS_CLIENT_SECRET"] = "not-the-secret"
        try:
            failed = harness.sync()
        finally:
            os.environ["TEST_PS_CLIENT_SECRET"] = secret
        assert failed.exit_code == 1 and failed.summary is None
        [message] = mail.received
        assert message.message["Subject"] == "sis-pipeline sync riverdale: failed"
        assert (
            "Why the run failed: powerschool_tables: PowerSchool refused the client credentials"
            in message.text
        )
        report = harness.schools.root / "reports" / "riverdale" / f"run-{failed.run_id}.html"
        assert f"Run report: {report}" in message.text and report.exists()
        assert "not-the-secret" not in message.message.as_string() + report.read_text()

        # A test run of a reconcile: a test run's outcome whatever it would have done.
        mapping = write_mapping(tmp_path / "mapping.csv", [("99", "S99")])
        reconciled = harness.reconcile(mapping, test_run=True)
        assert reconciled.exit_code == 1
        message = mail.received[1]
        assert message.message["Subject"] == "sis-pipeline reconcile riverdale: test_run"
        assert "Outcome: test_run (nothing was sent to the platform)" in message.text
        assert "Reconciliation: renamed 0, rejected 1, proposed 0, failed 0" in message.text
        assert "Rejected mapping rows: 1\n  new_id_not_in_roster: 1" in message.text
        report = run_report(harness, reconciled.run_id, "reconciliation")
        assert f"Run report: {report}" in message.text

        mail_to(harness, free_port())  # nothing listens there
        started = time.monotonic()
        synced = harness.sync()
        assert synced.exit_code == 0 and synced.errors == []
        assert time.monotonic() - started < 60
        assert tag(harness, synced.run_id) == "undelivered"
        logged = [str(e.user_message) for e in harness.instance.all_logs(synced.run_id)]
        assert any("run summary not sent: mail server 127.0.0.1" in line for line in logged)
        assert len(mail.received) == 2
        assert (harness.schools.root / run_report(harness, synced.run_id, "platform_sync")).exists()


@pytest.fixture
def dead_run_setup(tmp_path):
    config_file = write_schools_file(
        tmp_path / "schools.yaml", "http://127.0.0.1:1", "http://127.0.0.1:2", RIVERDALE
    )
    schools = SchoolsResource(config_file=str(config_file), data_directory=str(tmp_path / "d"))
    with mail_server() as mail, dg.instance_for_test() as instance:
        with config_file.open("a", encoding="utf-8") as handle:
            handle.write(notifications(mail.port))
        defs = build_definitions(load_schools_config(config_file), schools)
        yield defs, schools, mail, instance


def failed_run(instance: dg.DagsterInstance, tags: dict[str, str]) -> dg.DagsterRun:
    run = instance.add_run(
        dg.DagsterRun(job_name="school_sync", tags={"dagster/partition": "riverdale", **tags})
    )
    instance.report_run_failed(run, message="The run worker was lost")
    return instance.get_run_by_id(run.run_id)


def evaluate(
    defs: dg.Definitions,
    name: str,
    instance: dg.DagsterInstance,
    run_id: str,
    schools: SchoolsResource,
    event_type: dg.DagsterEventType,
) -> None:
    """One tick of the run-status sensor `name` for the run's `event_type` event."""
    [sensor] = [s for s in defs.sensors if s.name == name]
    [event] = instance.all_logs(run_id, of_type=event_type)
    with dg.build_run_status_sensor_context(
        sensor_name=name,
        dagster_event=event.dagster_event,
        dagster_instance=instance,
        dagster_run=instance.get_run_by_id(run_id),
        resources={"schools": schools},
    ) as context:
        failed = event_type == dg.DagsterEventType.RUN_FAILURE
        sensor(context.for_run_failure() if failed else context)


def test_a_run_that_died_unreported_is_mailed_by_the_sensor_once(dead_run_setup):
    defs, schools, mail, instance = dead_run_setup
    failure = dg.DagsterEventType.RUN_FAILURE

    died = failed_run(instance, {})
    evaluate(defs, "report_failed_runs", instance, died.run_id, schools, failure)
    evaluate(defs, "report_failed_runs", instance, died.run_id, schools, failure)
    [message] = mail.received
    assert message.message["Subject"] == "sis-pipeline sync riverdale: failed"
    assert "Why the run failed: The run worker was lost" in message.text
    assert instance.get_run_by_id(died.run_id).tags[NOTIFIED_TAG] == "sent"
    assert (schools.root / "reports" / "riverdale" / f"run-{died.run_id}.html").exists()

    reported = failed_run(instance, {NOTIFIED_TAG: "sent"})  # its hook already mailed it
    evaluate(defs, "report_failed_runs", instance, reported.run_id, schools, failure)
    assert len(mail.received) == 1


def test_a_sync_materialised_from_the_asset_graph_is_mailed_by_the_sensor(tmp_path):
    with mail_server() as mail, sync_harness(tmp_path, schools=RIVERDALE) as harness:
        mail_to(harness, mail.port)
        defs = build_definitions(harness.config, harness.schools)
        keys = [
            k
            for k in defs.resolve_asset_graph().get_all_asset_keys()
            if k.path != ["reconciliation"]
        ]
        done = defs.resolve_implicit_global_asset_job_def().execute_in_process(
            partition_key="riverdale", instance=harness.instance, asset_selection=keys
        )
        assert done.success and mail.received == []  # the asset graph's job has no hooks
        success = dg.DagsterEventType.RUN_SUCCESS
        evaluate(
            defs, "report_unhooked_runs", harness.instance, done.run_id, harness.schools, success
        )
        [message] = mail.received
        assert message.message["Subject"] == "sis-pipeline sync riverdale: applied"
        created = len(harness.users())
        assert f"Counts: created {created}, updated 0," in message.text
        assert tag(harness, done.run_id) == "sent"
