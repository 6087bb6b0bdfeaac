"""A held sync's facts, written out by hand, for the message and report tests."""

from __future__ import annotations

from sis_pipeline.notify.facts import (
    ActionCount,
    FailedOperation,
    HeldChange,
    QuarantinedRow,
    RunFacts,
    StepTiming,
)


def held_sync(**changes) -> RunFacts:
    facts = dict(
        school="riverdale",
        run_id="run-0001",
        job="school_sync",
        kind="sync",
        outcome="held",
        test_run=False,
        sync_counts={
            "created": 3,
            "updated": 2,
            "reactivated": 0,
            "deactivated": 0,
            "renamed": 0,
            "unchanged": 40,
            "quarantined": 2,
            "held": 30,
            "failed": 1,
        },
        by_action=[
            ActionCount("create", "student", 3),
            ActionCount("deactivate", "student", 0, held=30),
            ActionCount("update", "teacher", 2, failed=1),
        ],
        hold_reasons=["30 deactivations exceed the limit of 5"],
        held=[
            HeldChange(f"S{1000 + n}", "student", "deactivate", "mass_deactivation")
            for n in range(30)
        ],
        quarantined=[
            QuarantinedRow("S2001", "student", "missing:last_name"),
            QuarantinedRow("students:77", "student", "invalid:student_number"),
        ],
        failed_operations=[FailedOperation("T3001", "update", "invalid_field")],
        extraction={"students": 92, "users": 21},
        timings=[
            StepTiming("powerschool_tables", "success", 2.4),
            StepTiming("roster", "success", 0.5),
        ],
        report_path="/data/reports/riverdale/run-run-0001.html",
        run_url="https://dagster.example.org/runs/run-0001",
    )
    return RunFacts(**(facts | changes))
