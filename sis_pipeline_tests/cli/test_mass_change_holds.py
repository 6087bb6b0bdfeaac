"""Whole syncs against the sandbox: every mass change held with its rule and likely cause, a
health hold that lasts until let through, keys that never carry two bodies, and what each
run says in Dagster (tags, checks, metadata)."""

from __future__ import annotations

import dagster as dg
import duckdb

from sis_pipeline.sandbox.platform import PlatformFaults
from sis_pipeline.sandbox.powerschool.faults import PowerSchoolFaults
from sis_pipeline.state.outcome import ORG_TAG, OUTCOME_TAG
from sis_pipeline.state.run_history import baseline_counts
from sis_pipeline.transform import unhealthy_tables
from sis_pipeline_tests.cli.exact_state import assert_platform_is_the_roster
from sis_pipeline_tests.sync_harness import TWO_SCHOOLS, sync_harness


def run_tags(harness, run_id: str) -> tuple[dg.DagsterRunStatus, dict[str, str]]:
    run = harness.instance.get_run_by_id(run_id)
    return run.status, {k: v for k, v in run.tags.items() if k.startswith("sis_pipeline/")}


def checks(harness, run_id: str) -> dict:
    return {
        entry.dagster_event.event_specific_data.check_name: entry.dagster_event.event_specific_data
        for entry in harness.instance.all_logs(
            run_id, of_type=dg.DagsterEventType.ASSET_CHECK_EVALUATION
        )
    }


def sink_metadata(harness, run_id: str) -> dict:
    (event,) = [
        entry.dagster_event.event_specific_data.materialization
        for entry in harness.instance.all_logs(
            run_id, of_type=dg.DagsterEventType.ASSET_MATERIALIZATION
        )
        if entry.dagster_event.event_specific_data.materialization.asset_key
        == dg.AssetKey("platform_sync")
    ]
    return {name: value.value for name, value in event.metadata.items()}


def held_rules(harness) -> set[str]:
    with duckdb.connect(str(harness.schools.database_path("riverdale"))) as con:
        held = con.execute("SELECT DISTINCT hold_reason FROM sync.changeset WHERE held")
        return {reason for (reason,) in held.fetchall()}


def test_empty_email_tables_and_rekeyed_host_ids_are_held_not_applied(tmp_path):
    with sync_harness(tmp_path) as harness:
        assert harness.sync().exit_code == 0
        before = harness.users()
        assert sum(1 for u in before.values() if u["email"]) > 30

        harness.sandbox.powerschool.faults = PowerSchoolFaults(empty_tables={"emailaddress"})
        blanked = harness.sync()
        assert blanked.exit_code == 3, blanked.errors
        assert harness.users() == before  # no e-mail blanked
        assert held_rules(harness) == {"mass_blank:email"}
        status, tags = run_tags(harness, blanked.run_id)
        assert status == dg.DagsterRunStatus.SUCCESS
        assert tags[OUTCOME_TAG] == "held" and tags[ORG_TAG] == "riverdale-high"
        held = checks(harness, blanked.run_id)["no_held_changes"]
        assert not held.passed and held.severity == dg.AssetCheckSeverity.WARN
        assert held.metadata["rules"].value == "mass_blank:email"
        (cause,) = held.metadata["likely_causes"].value
        assert "blanking e-mail" in cause and "the e-mail tables came back empty" in cause
        assert checks(harness, blanked.run_id)["no_failed_operations"].passed

        harness.sandbox.powerschool.faults = PowerSchoolFaults()
        harness.rewrite_schools(
            TWO_SCHOOLS.replace(
                "    school_numbers: [100]\n  optional_fields: [email]",
                "    school_numbers: [100]\n  optional_fields: [email]\n  student_id_field: dcid",
            )
        )
        rekeyed = harness.sync()
        assert rekeyed.exit_code == 3, rekeyed.errors
        assert set(harness.users()) == set(before)  # no second account for anyone
        assert all(u["status"] == "active" for u in harness.users().values())
        assert held_rules(harness) == {"mass_create", "mass_deactivation"}
        causes = checks(harness, rekeyed.run_id)["no_held_changes"].metadata["likely_causes"]
        assert all("host IDs look re-keyed" in c and "reconcile" in c for c in causes.value)


def shrink_person_table(harness, parents_gone: int) -> int:
    """Drop 15% of PERSON's rows: `parents_gone` riverdale parents and people riverdale does
    not sync. Returns the new row count."""
    tables = dict(harness.sandbox.district.tables)
    person = tables["person"]
    students = tables["students"]
    riverdale = students[students["schoolid"] == 100]
    parents = sorted(int(h[1:]) for h in harness.users() if h.startswith("P"))
    kept = set(parents) | set(riverdale["person_id"].dropna().astype(int))
    others = [pid for pid in person["id"].astype(int) if pid not in kept]
    drop = round(len(person) * 0.15) - parents_gone
    assert len(others) >= drop
    gone = set(others[:drop]) | set(parents[:parents_gone])
    tables["person"] = person[~person["id"].astype(int).isin(gone)]
    harness.sandbox.powerschool.set_tables(tables)
    return len(tables["person"])


def test_a_health_hold_lasts_until_a_run_is_let_through(tmp_path):
    with sync_harness(tmp_path) as harness:
        assert harness.sync().exit_code == 0
        shrunk = shrink_person_table(harness, parents_gone=2)
        for _ in range(2):
            held = harness.sync()
            assert held.exit_code == 3, held.errors
            assert held.summary["held"] == 2 and held.summary["deactivated"] == 0
            assert held_rules(harness) == {"source_health"}

        allowed = harness.sync(allow_mass_changes=True)
        assert allowed.exit_code == 0, allowed.errors
        assert allowed.summary["deactivated"] == 2
        status, tags = run_tags(harness, allowed.run_id)
        assert status == dg.DagsterRunStatus.SUCCESS and tags[OUTCOME_TAG] == "applied"
        assert tags[ORG_TAG] == "riverdale-high"
        assert checks(harness, allowed.run_id)["no_held_changes"].passed
        with duckdb.connect(str(harness.schools.database_path("riverdale"))) as con:
            baseline = baseline_counts(con)
        assert baseline["person"] == shrunk
        assert unhealthy_tables({"person": shrunk}, baseline, 0.1) == {}


class AnswersLostAfterTheFirstApply(PlatformFaults):
    """The first batch is processed and its key stored, then no answer gets through: the
    sink's attempt stays open, as when a run dies right after the platform took a batch."""

    def fires(self, knob: str) -> bool:
        if knob == "fail_after_apply_every":
            self.__dict__["applied"] = True
            return True
        return knob == "server_error_every" and self.__dict__.get("applied", False)


def leave_and_rename(harness, leaving: int) -> dict[str, set[str]]:
    tables = dict(harness.sandbox.district.tables)
    students = tables["students"].copy()
    active = students[(students["schoolid"] == 100) & (students["enroll_status"] == 0)]
    roster = set(harness.users())
    in_sync = active[active["student_number"].map(lambda n: f"S{n}" in roster)]
    renamed, gone = in_sync.index[:2], in_sync.index[2 : 2 + leaving]
    students.loc[renamed, "first_name"] = "Renamed"
    students.loc[gone, "enroll_status"] = 2
    tables["students"] = students
    harness.sandbox.powerschool.set_tables(tables)
    return {
        "renamed": {f"S{n}" for n in students.loc[renamed, "student_number"]},
        "gone": {f"S{n}" for n in students.loc[gone, "student_number"]},
    }


def test_a_resumed_attempt_with_another_hold_decision_never_reuses_a_key(tmp_path):
    with sync_harness(tmp_path, retry_max_seconds=2) as harness:
        trial = harness.sync(test_run=True)
        assert trial.exit_code == 0
        status, tags = run_tags(harness, trial.run_id)
        assert status == dg.DagsterRunStatus.SUCCESS and tags[OUTCOME_TAG] == "test_run"
        metadata = sink_metadata(harness, trial.run_id)
        assert metadata["would_create"] == trial.summary["created"] > 0
        assert "created" not in metadata and metadata["outcome"] == "test_run"

        assert harness.sync().exit_code == 0
        changed = leave_and_rename(harness, leaving=len(harness.users()) // 10 + 3)
        platform = harness.sandbox.platform
        # The platform stores the first batch's key and body but changes nothing (it refuses
        # both renames), so the next run finds the very same changes: only the hold differs.
        platform.faults = AnswersLostAfterTheFirstApply(
            refuse_host_ids=dict.fromkeys(changed["renamed"], "invalid_field")
        )
        stuck = harness.sync()
        assert stuck.exit_code == 1
        assert stuck.summary["held"] >= len(changed["gone"]) and stuck.summary["failed"] == 2
        assert "Renamed" not in {harness.users()[h]["first_name"] for h in changed["renamed"]}
        status, tags = run_tags(harness, stuck.run_id)
        assert status == dg.DagsterRunStatus.FAILURE and tags[OUTCOME_TAG] == "failed"
        refused = checks(harness, stuck.run_id)["no_failed_operations"]
        assert not refused.passed and refused.metadata["num_failed"].value == 2

        platform.faults = PlatformFaults()
        resumed = harness.sync(allow_mass_deactivation=True)
        assert resumed.exit_code == 0, (resumed.errors, resumed.summary)
        assert resumed.summary["failed"] == 0
        assert resumed.summary["deactivated"] == stuck.summary["held"]
        assert_platform_is_the_roster(harness)
        assert all(harness.users()[h]["status"] == "inactive" for h in changed["gone"])
        with duckdb.connect(str(harness.schools.database_path("riverdale"))) as con:
            bodies = con.execute(
                "SELECT batch_key, count(DISTINCT hosts) FROM (SELECT run_id, batch_key, "
                "list(host_id ORDER BY host_id) AS hosts FROM sync.sync_log GROUP BY ALL) "
                "GROUP BY batch_key"
            ).fetchall()
        assert bodies and all(n == 1 for _, n in bodies)
