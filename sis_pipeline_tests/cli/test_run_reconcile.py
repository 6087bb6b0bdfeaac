"""A returning school reconciled for real: Dagster runs against the sandbox platform."""

from __future__ import annotations

import dagster as dg
import pytest

from sis_pipeline.state.outcome import ORG_TAG, OUTCOME_TAG
from sis_pipeline_tests.returning_school import old_accounts, write_mapping
from sis_pipeline_tests.schools_files import TWO_SCHOOLS
from sis_pipeline_tests.sync_harness import sync_harness

# Riverdale syncs birth dates here, so the guard also knows former-scheme accounts by name
# and birth date.
WITH_BIRTH_DATES = TWO_SCHOOLS.replace(
    "optional_fields: [email]", "optional_fields: [email, date_of_birth]"
)


@pytest.fixture
def harness(tmp_path):
    with sync_harness(tmp_path, schools=WITH_BIRTH_DATES) as harness:
        yield harness


def test_guard_holds_until_reconciled_then_every_old_account_is_renamed(harness, tmp_path):
    accounts = old_accounts(harness.sandbox.district)
    harness.sandbox.platform.seed_users("riverdale-high", list(accounts.values()))

    before = harness.sync()
    assert before.exit_code == 3, before.errors
    assert before.summary["held"] == len(accounts) and before.summary["failed"] == 0
    users = harness.users()
    assert not set(accounts) & set(users)  # nobody with an old account was created anew
    created = len(users) - len(accounts)
    assert before.summary["created"] == created > 100

    pairs = [(a["host_id"], new) for new, a in accounts.items()]
    # A row for someone no longer at the school is refused; the others still apply.
    mapping = write_mapping(tmp_path / "mapping.csv", [*pairs, ("99", "S99")], bom=True)
    reconciled = harness.reconcile(mapping)
    assert reconciled.exit_code == 1, reconciled.errors
    assert reconciled.summary == {
        "school": "riverdale",
        "test_run": False,
        "renamed": len(accounts),
        "rejected": 1,
        "proposed": 0,
        "failed": 0,
    }
    assert reconciled.rejected_rows == [
        [len(pairs) + 2, "99", "S99", "rejected", "new_id_not_in_roster"]
    ]
    assert checks(harness.instance, reconciled.run_id) == {
        "mapping_rows_accepted": False,
        "renames_applied": True,
    }
    run = harness.instance.get_run_by_id(reconciled.run_id)
    assert run.tags[OUTCOME_TAG] == "failed" and run.tags[ORG_TAG] == "riverdale-high"
    # Exit 1 is a failed run in the Dagster UI too, and the refusal is not told twice.
    assert run.status == dg.DagsterRunStatus.FAILURE
    assert reconciled.errors == []
    users = harness.users()
    assert set(accounts) <= set(users)
    assert not {a["host_id"] for a in accounts.values()} & set(users)
    inactive = [new for new, a in accounts.items() if a.get("status") == "inactive"]
    assert [users[new]["status"] for new in inactive] == ["inactive"]

    after = harness.sync()
    assert after.exit_code == 0, after.errors
    assert after.summary["created"] == after.summary["held"] == 0
    assert after.summary["reactivated"] == len(inactive)
    assert after.summary["updated"] >= len(accounts) - len(inactive)
    users = harness.users()
    assert len(users) == created + len(accounts)  # one account per person
    assert all(u["status"] == "active" for u in users.values())


def checks(instance: dg.DagsterInstance, run_id: str) -> dict[str, bool]:
    records = instance.all_logs(run_id, of_type=dg.DagsterEventType.ASSET_CHECK_EVALUATION)
    evaluations = [record.dagster_event.event_specific_data for record in records]
    return {
        evaluation.check_name: evaluation.passed
        for evaluation in evaluations
        if evaluation.asset_key == dg.AssetKey("reconciliation")
    }
