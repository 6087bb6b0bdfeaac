"""Whole syncs as Dagster runs against the sandbox: weeks, test runs, safety, grants."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from sis_pipeline.sandbox.district import next_week
from sis_pipeline.sources.powerschool.plugin_xml import plugin_xml
from sis_pipeline_tests.sync_harness import sync_harness


@pytest.fixture
def harness(tmp_path):
    with sync_harness(tmp_path) as harness:
        yield harness


def student_host_ids(district, dcids, school_number=100) -> set[str]:
    students = district.tables["students"]
    rows = students[students["dcid"].isin(dcids) & (students["schoolid"] == school_number)]
    return {f"S{number}" for number in rows["student_number"]}


def test_first_sync_creates_everyone_and_a_resync_writes_nothing(harness):
    first = harness.sync()
    assert first.exit_code == 0, first.errors
    users = harness.users()
    assert first.summary["created"] == len(users) > 100
    assert {host_id[0] for host_id in users} == {"S", "T", "P"}
    assert all(user["status"] == "active" for user in users.values())
    assert first.summary["quarantined"] > 0
    quarantined = student_host_ids(
        harness.sandbox.district, harness.sandbox.district.hard_cases["last_name_null"]
    )
    assert not quarantined & set(users)

    harness.sandbox.platform.reset_counters()
    second = harness.sync()
    assert second.exit_code == 0
    assert second.summary["unchanged"] == len(users)
    assert sum(second.summary[k] for k in ("created", "updated", "deactivated", "failed")) == 0
    assert harness.sandbox.platform.counters.get("batch_requests", 0) == 0


def test_a_test_run_sends_no_write_and_counts_what_it_would_apply(harness):
    trial = harness.sync(test_run=True)
    assert trial.exit_code == 0 and trial.summary["test_run"] is True
    assert harness.sandbox.platform.counters.get("batch_requests", 0) == 0
    assert harness.users() == {}
    real = harness.sync()
    assert real.summary["created"] == trial.summary["created"] == len(harness.users())


def test_next_week_updates_deactivates_and_a_later_return_reactivates(harness):
    district = harness.sandbox.district
    today = datetime.now(UTC).date()
    assert harness.sync(as_of_date=today.isoformat()).exit_code == 0
    week_two = next_week(district, seed=1)
    harness.sandbox.powerschool.set_tables(week_two.tables)
    outcome = harness.sync(as_of_date=(today + timedelta(days=7)).isoformat())
    assert outcome.exit_code == 0, outcome.errors
    users = harness.users()
    departed = student_host_ids(district, week_two.hard_cases["departed"])
    arrived = student_host_ids(week_two, week_two.hard_cases["arrived"])
    assert all(users[h]["status"] == "inactive" for h in departed)
    assert all(users[h]["status"] == "active" for h in arrived)
    assert outcome.summary["deactivated"] >= len(departed)
    assert outcome.summary["updated"] >= 1

    harness.sandbox.powerschool.set_tables(district.tables)
    back = harness.sync(as_of_date=today.isoformat())
    assert back.exit_code == 0
    assert back.summary["reactivated"] >= len(departed)
    assert all(harness.users()[h]["status"] == "active" for h in departed)


def test_an_empty_source_table_holds_deactivations_and_exits_3(harness):
    assert harness.sync().exit_code == 0
    tables = dict(harness.sandbox.district.tables)
    tables["students"] = tables["students"].iloc[0:0]
    harness.sandbox.powerschool.set_tables(tables)
    held = harness.sync()
    assert held.exit_code == 3
    assert held.summary["held"] > 0 and held.summary["deactivated"] == 0
    # The console is quiet; the run's warnings come back for the command to print.
    assert any(w.startswith("riverdale: deactivations held: ") for w in held.warnings)
    assert all(u["status"] == "active" for u in harness.users().values())
    allowed = harness.sync(allow_mass_deactivation=True)
    assert allowed.exit_code == 0 and allowed.summary["deactivated"] == held.summary["held"]


def test_the_generated_plugin_is_enough_and_a_missing_grant_names_the_field(harness):
    document = plugin_xml("riverdale", harness.config.school("riverdale"))
    harness.sandbox.powerschool.set_plugin_xml(document)
    assert harness.sync().exit_code == 0
    harness.sandbox.powerschool.set_plugin_xml(
        document.replace('<field table="PERSON" field="LASTNAME" access="ViewOnly" />', "")
    )
    failed = harness.sync()
    assert failed.exit_code == 1 and failed.summary is None
    assert any("LastName" in e and "plugin" in e for e in failed.errors), failed.errors


def test_a_school_keyed_by_dcid_without_parents(harness):
    outcome = harness.sync("hillcrest")
    assert outcome.exit_code == 0
    users = harness.users("hillcrest-middle")
    students = harness.sandbox.district.tables["students"]
    in_school = students[(students["schoolid"] == 200) & (students["enroll_status"] == 0)]
    assert {h[0] for h in users} == {"S", "T"}
    assert {f"S{d}" for d in in_school["dcid"]} >= {h for h in users if h.startswith("S")}
    assert harness.users("riverdale-high") == {}
