"""The roster only ever reads complete extractions.

A table whose pages fail midway, that returns fewer rows than PowerSchool counted, or whose
load into DuckDB fails, fails the run before the roster: the previous snapshot stays whole and
nothing is sent. A table that comes back empty reaches the changeset only to hold its
deactivations (exit 3).
"""

from __future__ import annotations

from contextlib import contextmanager

import dagster as dg
import duckdb
import pytest

from sis_pipeline.definitions import SYNC_JOB, build_definitions
from sis_pipeline.sandbox.powerschool import PowerSchoolFaults
from sis_pipeline.state.outcome import ORG_TAG, OUTCOME_TAG
from sis_pipeline_tests.sync_harness import sync_harness

SNAPSHOT_SQL = """
SELECT (SELECT count(*) FROM powerschool.students), (SELECT count(*) FROM powerschool.person),
       (SELECT count(*) FROM powerschool.studentcontactassoc),
       (SELECT string_agg(host_id, ',' ORDER BY host_id) FROM sync.roster),
       (SELECT count(*) FROM sync.runs)
"""


def snapshot(harness) -> tuple:
    with duckdb.connect(str(harness.schools.database_path("riverdale"))) as con:
        return con.execute(SNAPSHOT_SQL).fetchall()[0]


def materialized(harness, run_id: str) -> set[str]:
    return {
        entry.dagster_event.asset_key.to_user_string()
        for entry in harness.instance.all_logs(
            run_id, of_type=dg.DagsterEventType.ASSET_MATERIALIZATION
        )
    }


@contextmanager
def synced_once(tmp_path):
    with sync_harness(tmp_path, retry_max_seconds=2) as harness:
        first = harness.sync()
        assert first.exit_code == 0, first.errors
        harness.sandbox.platform.reset_counters()
        yield harness


@pytest.fixture(scope="module")
def shared(tmp_path_factory):
    """One synced school for the tests that leave it as they found it."""
    with synced_once(tmp_path_factory.mktemp("shared")) as harness:
        yield harness


@pytest.fixture
def harness(shared):
    yield shared
    shared.sandbox.powerschool.faults = PowerSchoolFaults()
    shared.sandbox.platform.reset_counters()


@pytest.mark.parametrize(
    ("faults", "expected"),
    [
        (PowerSchoolFaults(fail_table_pages={"person": {3}}), "person page 3: gave up"),
        (PowerSchoolFaults(count_skew={"person": 5}), "person: read 279 distinct rows but"),
    ],
    ids=["a late page keeps failing", "fewer rows than counted"],
)
def test_an_incomplete_table_fails_the_run_before_the_roster(harness, faults, expected):
    before = snapshot(harness)
    harness.sandbox.powerschool.faults = faults
    failed = harness.sync()
    assert failed.exit_code == 1 and failed.summary is None
    assert any(expected in error for error in failed.errors), failed.errors
    assert "roster" not in materialized(harness, failed.run_id)
    assert snapshot(harness) == before
    assert harness.sandbox.platform.counters["batch_requests"] == 0
    run = harness.instance.get_run_by_id(failed.run_id)
    assert run.status == dg.DagsterRunStatus.FAILURE
    assert run.tags[OUTCOME_TAG] == "failed" and run.tags[ORG_TAG] == "riverdale-high"


def test_a_run_launched_without_the_cli_that_fails_is_tagged_failed(harness):
    """As the daemon launches a run: the job alone, no command around it."""
    harness.sandbox.powerschool.faults = PowerSchoolFaults(fail_table_pages={"students": {1}})
    job = build_definitions(harness.config, harness.schools).resolve_job_def(SYNC_JOB)
    result = job.execute_in_process(
        partition_key="riverdale", instance=harness.instance, raise_on_error=False
    )
    assert not result.success
    tags = harness.instance.get_run_by_id(result.run_id).tags
    assert tags[OUTCOME_TAG] == "failed" and tags[ORG_TAG] == "riverdale-high"


def test_an_empty_table_only_reaches_the_changeset_to_hold_deactivations(harness):
    parents = {h for h, u in harness.users().items() if u["member_type"] == "parent"}
    harness.sandbox.powerschool.faults = PowerSchoolFaults(empty_tables={"studentcontactassoc"})
    held = harness.sync()
    assert held.exit_code == 3
    assert held.summary["deactivated"] == 0 and held.summary["held"] == len(parents) > 0
    assert all(harness.users()[h]["status"] == "active" for h in parents)

    harness.sandbox.powerschool.faults = PowerSchoolFaults()
    back = harness.sync()
    assert back.exit_code == 0 and back.summary["unchanged"] == len(harness.users())


def test_a_load_that_fails_midway_leaves_every_table_whole(tmp_path):
    with synced_once(tmp_path) as harness:
        load_fails_midway(harness)


def load_fails_midway(harness) -> None:
    before = snapshot(harness)
    database = harness.schools.database_path("riverdale")
    # The database refuses one row of the next load: a load that breaks off in the middle.
    with duckdb.connect(str(database)) as con:
        columns = con.execute(
            "SELECT column_name, data_type FROM information_schema.columns "
            "WHERE table_schema = 'powerschool' AND table_name = 'students' "
            "ORDER BY ordinal_position"
        ).fetchall()
        definition = ", ".join(f'"{name}" {kind}' for name, kind in columns)
        con.execute("CREATE TABLE powerschool.kept AS SELECT * FROM powerschool.students")
        con.execute("DROP TABLE powerschool.students")
        con.execute(
            f"CREATE TABLE powerschool.students ({definition}, "
            "CHECK (last_name IS DISTINCT FROM 'Unloadable'))"
        )
        con.execute("INSERT INTO powerschool.students SELECT * FROM powerschool.kept")
        con.execute("DROP TABLE powerschool.kept")
    tables = dict(harness.sandbox.district.tables)
    students = tables["students"].copy()
    students.loc[students.index[students["schoolid"] == 100][0], "last_name"] = "Unloadable"
    tables["students"] = students
    harness.sandbox.powerschool.set_tables(tables)

    failed = harness.sync()
    assert failed.exit_code == 1 and failed.summary is None
    assert any("CHECK constraint failed" in error for error in failed.errors), failed.errors
    assert "roster" not in materialized(harness, failed.run_id)
    assert snapshot(harness) == before
    assert harness.sandbox.platform.counters["batch_requests"] == 0
