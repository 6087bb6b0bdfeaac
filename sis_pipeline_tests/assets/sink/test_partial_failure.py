"""Operations the platform refuses: recorded per host ID with the platform's code and message,
reported in an error CSV, the rest applied, exit 1; the next run retries exactly those."""

from __future__ import annotations

import csv
import json

import dagster as dg
import duckdb
import pandas as pd

from sis_pipeline.sandbox.platform import PlatformFaults
from sis_pipeline.state.outcome import ORG_TAG, OUTCOME_TAG
from sis_pipeline_tests.cli.cli_process import cli_home, run_cli
from sis_pipeline_tests.sync_harness import sync_harness


def week_two(harness) -> dict[str, str]:
    """Two riverdale students renamed, one gone, one new; returns action -> host ID (the
    second rename is the one the platform will not refuse)."""
    with duckdb.connect(str(harness.schools.database_path("riverdale"))) as con:
        numbers = [
            int(host_id[1:])
            for (host_id,) in con.execute(
                "SELECT host_id FROM sync.roster WHERE member_type = 'student' "
                "ORDER BY host_id LIMIT 3"
            ).fetchall()
        ]
    tables = dict(harness.sandbox.district.tables)
    students = tables["students"].copy()
    renamed = students.index[students["student_number"] == numbers[0]][0]
    gone = students.index[students["student_number"] == numbers[1]][0]
    students.loc[renamed, "first_name"] = "Renamed"
    also_renamed = students.index[students["student_number"] == numbers[2]][0]
    students.loc[also_renamed, "first_name"] = "Applied"
    new = students.loc[[renamed]].copy()
    new["dcid"] = students["dcid"].max() + 1
    new["student_number"] = students["student_number"].max() + 1
    new["person_id"] = None
    students.loc[gone, "enroll_status"] = 2
    tables["students"] = pd.concat([students, new], ignore_index=True)
    harness.sandbox.powerschool.set_tables(tables)
    return {
        "update": f"S{numbers[0]}",
        "deactivate": f"S{numbers[1]}",
        "create": f"S{int(new['student_number'].iloc[0])}",
        "applied": f"S{numbers[2]}",
    }


def test_refused_operations_are_reported_the_rest_applies_and_the_next_run_retries(
    tmp_path, monkeypatch
):
    with sync_harness(tmp_path) as harness:
        assert harness.sync().exit_code == 0
        before = harness.users()
        chosen = week_two(harness)
        codes = {"update": "invalid_field", "deactivate": "not_found", "create": "host_id_conflict"}
        refused = {chosen[action]: code for action, code in codes.items()}
        platform = harness.sandbox.platform
        platform.faults = PlatformFaults(refuse_host_ids=refused)
        platform.reset_counters()

        done = run_cli(harness, "sync", "--school", "riverdale", "--json")
        assert done.returncode == 1, done.stderr
        assert "Traceback" not in done.stderr
        assert "3 operations failed; see the error report" in done.stderr
        assert "blocking" not in done.stderr and "event log" not in done.stderr
        monkeypatch.setenv("DAGSTER_HOME", str(cli_home(harness)))
        with dg.DagsterInstance.get() as home:
            (run,) = home.get_runs()
            assert run.status == dg.DagsterRunStatus.FAILURE
            assert run.tags[OUTCOME_TAG] == "failed" and run.tags[ORG_TAG] == "riverdale-high"
        summary = json.loads(done.stdout.strip().splitlines()[-1])
        assert summary["failed"] == 3
        assert platform.counters["operations_applied"] == summary["updated"] == 1

        users = harness.users()
        assert users[chosen["applied"]]["first_name"] == "Applied"
        assert chosen["create"] not in users
        assert users[chosen["update"]]["first_name"] == before[chosen["update"]]["first_name"]
        assert users[chosen["deactivate"]]["status"] == "active"

        expected = {
            (chosen[action], action, code, f"{chosen[action]}: refused ({code})")
            for action, code in codes.items()
        }
        with duckdb.connect(str(harness.schools.database_path("riverdale"))) as con:
            logged = set(
                con.execute(
                    "SELECT host_id, action, error_code, error_message FROM sync.sync_log "
                    "WHERE status = 'failed'"
                ).fetchall()
            )
        assert logged == expected
        (report,) = (harness.schools.root / "reports" / "riverdale").glob("errors-*.csv")
        with report.open(encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        assert {tuple(row.values()) for row in rows} == expected

        platform.faults = PlatformFaults()
        platform.reset_counters()
        retried = harness.sync()
        assert retried.exit_code == 0, retried.errors
        assert (retried.summary["created"], retried.summary["updated"]) == (1, 1)
        assert retried.summary["deactivated"] == 1 and retried.summary["failed"] == 0
        assert platform.counters["operations_applied"] == 3
        users = harness.users()
        assert users[chosen["update"]]["first_name"] == "Renamed"
        assert users[chosen["deactivate"]]["status"] == "inactive"
        assert users[chosen["create"]]["status"] == "active"
