"""Mass changes counted on the changeset and their rows held, before the changeset's ID."""

from __future__ import annotations

from sis_pipeline.transform import RunSafety, build_changeset, pending_operations
from sis_pipeline_tests.transform.raw_tables import (
    rows,
    school_settings,
    write_platform_users,
    write_roster,
)

SAFETY = {"max_deactivations": {"fraction": 0.1, "minimum": 2}}


def student(n: int, **fields) -> dict:
    return {
        "host_id": f"S{n}",
        "member_type": "student",
        "first_name": "Ada",
        "last_name": "Lovelace",
        "graduation_year": 2028,
        "grade_level": 10,
        **fields,
    }


def held(con) -> list[tuple]:
    return rows(
        con, "SELECT host_id, action, hold_reason FROM sync.changeset WHERE held ORDER BY 1"
    )


def test_blanked_emails_past_the_limit_are_held_and_the_rest_applies(con):
    settings = school_settings(optional_fields=["email"], safety=SAFETY)
    platform = [student(n, email=f"s{n}@example.org") for n in range(1, 6)]
    write_platform_users(con, platform)
    # S1, S2: e-mail gone (at the limit of 2); S5 renamed.
    write_roster(con, [student(1), student(2), student(3, email="s3@example.org"),
                       student(4, email="s4@example.org"), student(5, email="s5@example.org",
                                                                  first_name="Eve")])  # fmt: skip
    at_limit = build_changeset(con, settings)
    assert held(con) == [] and at_limit.decision.holds == []

    write_roster(con, [student(1), student(2), student(3), student(4, email="s4@example.org"),
                       student(5, email="s5@example.org", first_name="Eve")])  # fmt: skip
    past = build_changeset(con, settings)
    assert held(con) == [(f"S{n}", "update", "mass_blank:email") for n in (1, 2, 3)]
    assert [op["host_id"] for op in pending_operations(con)] == ["S5"]
    assert past.held == 3 and past.actions["update"] == 1
    assert past.decision.reasons[0].startswith("3 updates blanking e-mail exceed the limit of 2")
    assert past.changeset_id != at_limit.changeset_id


def test_rekeyed_students_hold_creates_and_deactivations(con):
    settings = school_settings(safety=SAFETY)
    write_platform_users(con, [student(n) for n in range(1, 4)])
    write_roster(con, [student(n) for n in range(101, 104)])
    summary = build_changeset(con, settings)
    assert {reason for _, _, reason in held(con)} == {"mass_create", "mass_deactivation"}
    assert pending_operations(con) == []
    assert all("re-keyed" in reason for reason in summary.decision.reasons)
    # A school's first sync (resumed after a kill, or after a reconciliation) holds no create.
    first = build_changeset(con, settings, RunSafety(first_sync=True))
    assert {reason for _, _, reason in held(con)} == {"mass_deactivation"}
    assert first.actions["create"] == 3


def test_the_changeset_id_covers_the_hold_decision(con):
    settings = school_settings(safety=SAFETY)
    write_platform_users(con, [student(n) for n in range(1, 6)])
    write_roster(con, [student(1, first_name="Eve")])
    held_run = build_changeset(con, settings)
    assert held_run.held == 4
    allowed = build_changeset(con, settings, RunSafety(allow_mass_deactivation=True))
    assert allowed.held == 0
    assert allowed.changeset_id != held_run.changeset_id
    assert build_changeset(con, settings).changeset_id == held_run.changeset_id
    # The health rule: a run whose table came back empty holds even one deactivation.
    write_roster(con, [student(n) for n in range(1, 5)])
    unhealthy = RunSafety(source_counts={"students": 0})
    assert build_changeset(con, settings, unhealthy).held == 1
    assert held(con) == [("S5", "deactivate", "source_health")]
