"""What a run's summary means: its exit code and its outcome, decided once.

The CLI, the assets, the run history and the Dagster run tags all read these, so the command
line's exit status and what the Dagster UI shows can never disagree.
"""

from __future__ import annotations

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_HELD = 0, 1, 2, 3
# Exit codes of runs that reached the sink: "the last sync that applied".
REACHED_SINK = (EXIT_OK, EXIT_FAILED, EXIT_HELD)

# The run tags scripts and operators rely on (docs/command-line.md, "Runs in Dagster").
PARTITION_TAG = "dagster/partition"  # Dagster's own: the school key
ORG_TAG = "sis_pipeline/org"
OUTCOME_TAG = "sis_pipeline/outcome"
TEST_RUN_TAG = "sis_pipeline/test_run"
COMMAND_TAG = "sis_pipeline/command"

# The counts of a sync's and of a reconcile's summary (the --json object after `school` and
# `test_run`), in the order they are shown.
SYNC_COUNTS = (
    "created",
    "updated",
    "reactivated",
    "deactivated",
    "renamed",
    "unchanged",
    "quarantined",
    "held",
    "failed",
)
RECONCILE_COUNTS = ("renamed", "rejected", "proposed", "failed")

OUTCOME_APPLIED, OUTCOME_HELD, OUTCOME_FAILED, OUTCOME_TEST_RUN = (
    "applied",
    "held",
    "failed",
    "test_run",
)


def exit_code_for(summary: dict) -> int:
    """A sync's or reconcile's exit code from its summary: refused or failed rows make it 1,
    held changes 3, otherwise 0. A test run exits as the real run would."""
    if summary.get("failed") or summary.get("rejected"):
        return EXIT_FAILED
    if summary.get("held"):
        return EXIT_HELD
    return EXIT_OK


def worst(*codes: int) -> int:
    """When several exit codes apply, 2 > 1 > 3 > 0."""
    rank = {EXIT_USAGE: 3, EXIT_FAILED: 2, EXIT_HELD: 1, EXIT_OK: 0}
    return max(codes, key=lambda code: rank[code])


def outcome_for(exit_code: int, test_run: bool) -> str:
    """The run's `sis_pipeline/outcome` tag: a test run is `test_run` whatever it would do."""
    if test_run:
        return OUTCOME_TEST_RUN
    if exit_code == EXIT_OK:
        return OUTCOME_APPLIED
    if exit_code == EXIT_HELD:
        return OUTCOME_HELD
    return OUTCOME_FAILED
