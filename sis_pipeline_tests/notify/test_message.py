"""The e-mailed run summary, composed from a run's facts."""

from __future__ import annotations

from sis_pipeline.notify.message import MAX_IDS, body, compose, recipients, subject
from sis_pipeline_tests.notify.sample_facts import held_sync


def test_a_held_sync_says_what_was_held_by_which_rule_and_where_the_report_is():
    text = body(held_sync())
    assert "School: riverdale\nOutcome: held\n" in text
    assert "Dagster: https://dagster.example.org/runs/run-0001" in text
    assert "Counts: created 3, updated 2, reactivated 0, deactivated 0, renamed 0, " in text
    assert "  deactivate  student       0     30      0" in text
    assert "Held changes: 30\n  rule: 30 deactivations exceed the limit of 5\n" in text
    held_line = next(line for line in text.splitlines() if "mass_deactivation: 30" in line)
    assert held_line.count("S1") == MAX_IDS and held_line.endswith(", ... 10 more)")
    assert "Quarantined rows: 2" in text
    assert "  missing:last_name: 1 (S2001)" in text
    assert "  invalid:student_number: 1 (students:77)" in text
    assert "Failed operations: 1\n  T3001 update: invalid_field" in text
    assert "Run report: /data/reports/riverdale/run-run-0001.html" in text
    assert "Why the run failed" not in text


def test_a_failed_run_gives_its_reason_and_a_test_run_says_nothing_was_sent():
    failed = held_sync(
        outcome="failed",
        failure="powerschool_tables: PowerSchool refused the client credentials (HTTP 401)",
        sync_counts=None,
        by_action=[],
        held=[],
        hold_reasons=[],
        run_url="",
    )
    text = body(failed)
    assert "Why the run failed: powerschool_tables: PowerSchool refused" in text
    assert "Counts:" not in text and "Dagster:" not in text and "Held" not in text
    assert subject(failed) == "sis-pipeline sync riverdale: failed"
    crashed_test = held_sync(outcome="test_run", test_run=True, failure="roster: boom")
    assert subject(crashed_test) == "sis-pipeline sync riverdale: test_run (the run failed)"
    assert "Outcome: test_run (nothing was sent to the platform)" in body(crashed_test)
    assert "Would apply: created 3" in body(crashed_test)


def test_the_message_goes_to_the_school_and_the_operators_once_each():
    to = recipients(["it@riverdale.example", "ops@example.org"], ["ops@example.org", "d@x.org"])
    assert to == ["it@riverdale.example", "ops@example.org", "d@x.org"]
    message = compose(held_sync(), "sis-pipeline@example.org", to)
    assert message["To"] == "it@riverdale.example, ops@example.org, d@x.org"
    assert message["From"] == "sis-pipeline@example.org"
    assert message["Subject"] == "sis-pipeline sync riverdale: held"
    assert message.get_content_type() == "text/plain"
    assert message.get_content() == body(held_sync())
