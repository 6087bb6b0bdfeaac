"""The mass-deactivation safety rule (interface.md, "Safety"), as pure functions.

Deactivations are held when there would be more than
`max(fraction * active managed users, minimum)` of them, or when an extracted table came
back empty or shrank by more than `fraction` since the last sync that applied. Fractions are
taken as the decimals written in the schools file (0.29 is 29/100 exactly), so a binary
rounding error can never move a limit by one.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from fractions import Fraction


def _exact(fraction: float) -> Fraction:
    return Fraction(str(fraction))


def deactivation_limit(active_managed: int, fraction: float, minimum: int) -> int:
    """The most deactivations a run may apply: max(floor(fraction * active), minimum).

    Floor, because the rule holds when the count is *more than* fraction * active, and for a
    whole count n, n > x exactly when n > floor(x). Ceil would let 3 through at 2.5.
    """
    return max(math.floor(_exact(fraction) * active_managed), minimum)


def source_health_problems(
    current_counts: dict[str, int],
    last_applied_counts: dict[str, int] | None,
    fraction: float,
) -> list[str]:
    """Why the extraction looks unhealthy: a table came back empty, or shrank too much.

    Only tables in `current_counts` are checked; with no history only emptiness is.
    """
    problems = []
    for table in sorted(current_counts):
        now = current_counts[table]
        before = (last_applied_counts or {}).get(table)
        if now == 0:
            problems.append(f"table {table} came back empty")
        elif before and before - now > _exact(fraction) * before:
            problems.append(
                f"table {table} shrank from {before} to {now} rows, "
                f"more than {fraction * 100:g}% since the last applied sync"
            )
    return problems


@dataclass(frozen=True)
class HoldDecision:
    held: bool
    reasons: list[str] = field(default_factory=list)


def hold_deactivations(
    would_deactivate: int,
    limit: int,
    health_problems: list[str],
    allow_mass_deactivation: bool,
) -> HoldDecision:
    """Whether this run's deactivations are held, and why.

    Nothing is held when there is nothing to deactivate, or when the operator allowed a mass
    deactivation for this run; then `reasons` is empty.
    """
    if would_deactivate == 0 or allow_mass_deactivation:
        return HoldDecision(held=False)
    reasons = []
    if would_deactivate > limit:
        reasons.append(f"{would_deactivate} deactivations exceed the limit of {limit}")
    reasons.extend(health_problems)
    return HoldDecision(held=bool(reasons), reasons=reasons)
