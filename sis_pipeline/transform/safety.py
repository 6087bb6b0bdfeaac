"""The safety limit and the source-health rule (docs/sync-rules.md, "Safety"), as pure functions.

Mass changes are bounded by `max(fraction * active managed users, minimum)` (`holds.py`
decides what is held); the extraction looks unhealthy when a table came back empty or shrank
by more than `fraction` since the baseline. Fractions are
taken as the decimals written in the schools file (0.29 is 29/100 exactly), so a binary
rounding error can never move a limit by one.
"""

from __future__ import annotations

import math
from fractions import Fraction


def _exact(fraction: float) -> Fraction:
    return Fraction(str(fraction))


def deactivation_limit(active_managed: int, fraction: float, minimum: int) -> int:
    """The most of any mass change a run may apply: max(floor(fraction * active), minimum).

    Floor, because the rule holds when the count is *more than* fraction * active, and for a
    whole count n, n > x exactly when n > floor(x). Ceil would let 3 through at 2.5.
    """
    return max(math.floor(_exact(fraction) * active_managed), minimum)


def unhealthy_tables(
    current_counts: dict[str, int],
    baseline_counts: dict[str, int] | None,
    fraction: float,
) -> dict[str, str]:
    """Table -> why the extraction looks unhealthy: it came back empty, or shrank too much.

    Only tables in `current_counts` are checked; with no baseline only emptiness is. The
    baseline is the last run that applied without a health hold, or that was let through
    (`state/run_history.py`), so a hold lasts until someone lets it through.
    """
    problems = {}
    for table in sorted(current_counts):
        now = current_counts[table]
        before = (baseline_counts or {}).get(table)
        if now == 0:
            problems[table] = f"table {table} came back empty"
        elif before and before - now > _exact(fraction) * before:
            problems[table] = (
                f"table {table} shrank from {before} to {now} rows, "
                f"more than {fraction * 100:g}% since the last applied sync"
            )
    return problems


def source_health_problems(
    current_counts: dict[str, int],
    baseline_counts: dict[str, int] | None,
    fraction: float,
) -> list[str]:
    """The problems of `unhealthy_tables`, in table order."""
    return list(unhealthy_tables(current_counts, baseline_counts, fraction).values())
