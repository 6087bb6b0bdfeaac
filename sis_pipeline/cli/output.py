"""Exit codes and what the CLI prints: one line per error on stderr, JSON last on stdout."""

from __future__ import annotations

import json
import sys

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_HELD = 0, 1, 2, 3
SUMMARY_KEYS = (
    "school",
    "test_run",
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

RECONCILE_KEYS = ("school", "test_run", "renamed", "rejected", "proposed", "failed")


def fail(lines: list[str], code: int) -> int:
    for line in lines:
        print(f"sis-pipeline: error: {line}", file=sys.stderr)
    return code


def worst(*codes: int) -> int:
    """interface.md: when several apply, 2 > 1 > 3 > 0."""
    rank = {EXIT_USAGE: 3, EXIT_FAILED: 2, EXIT_HELD: 1, EXIT_OK: 0}
    return max(codes, key=lambda code: rank[code])


def print_summary(summary: dict, as_json: bool, keys: tuple[str, ...] = SUMMARY_KEYS) -> None:
    """keys: the command's summary keys, school and test_run first."""
    ordered = {key: summary.get(key, 0) for key in keys}
    if as_json:
        print(json.dumps(ordered))
        return
    mode = " (test run: nothing applied)" if ordered["test_run"] else ""
    counts = ", ".join(f"{key} {ordered[key]}" for key in keys[2:])
    print(f"{ordered['school']}{mode}: {counts}")
