"""Exit codes and what the CLI prints: one line per error on stderr, JSON last on stdout."""

from __future__ import annotations

import json
import sys

from sis_pipeline.state.outcome import (  # noqa: F401 - the CLI's names for them
    EXIT_FAILED,
    EXIT_HELD,
    EXIT_OK,
    EXIT_USAGE,
    RECONCILE_COUNTS,
    SYNC_COUNTS,
    worst,
)

SUMMARY_KEYS = ("school", "test_run", *SYNC_COUNTS)
RECONCILE_KEYS = ("school", "test_run", *RECONCILE_COUNTS)


def fail(lines: list[str], code: int) -> int:
    for line in lines:
        print(f"sis-pipeline: error: {line}", file=sys.stderr)
    return code


def warn(lines: list[str]) -> None:
    for line in lines:
        print(f"sis-pipeline: warning: {line}", file=sys.stderr)


def print_summary(summary: dict, as_json: bool, keys: tuple[str, ...] = SUMMARY_KEYS) -> None:
    """keys: the command's summary keys, school and test_run first."""
    ordered = {key: summary.get(key, 0) for key in keys}
    if as_json:
        print(json.dumps(ordered))
        return
    mode = " (test run: nothing applied)" if ordered["test_run"] else ""
    counts = ", ".join(f"{key} {ordered[key]}" for key in keys[2:])
    print(f"{ordered['school']}{mode}: {counts}")
