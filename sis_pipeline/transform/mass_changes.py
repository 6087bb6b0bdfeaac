"""Count a changeset's mass changes and mark the rows `holds.decide_holds` holds.

Runs on `sync.changeset` right after it is built, before its ID is computed, so the ID (and
the idempotency keys derived from it) covers which rows are held.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import duckdb

from sis_pipeline.config.models import SchoolSettings
from sis_pipeline.sources.platform.settings import WRITABLE_USER_FIELDS
from sis_pipeline.transform.holds import HoldDecision, MassChanges, decide_holds
from sis_pipeline.transform.safety import deactivation_limit, unhealthy_tables

# Payload fields an update may blank; host_id and member_type are never null.
BLANKABLE_FIELDS = tuple(
    name for name in WRITABLE_USER_FIELDS if name not in ("host_id", "member_type")
)
BLANKING_ACTIONS = ("update", "reactivate")


@dataclass(frozen=True)
class RunSafety:
    """This run's inputs to the holds: the extraction's raw table sizes, the baseline's,
    whether this is the school's first sync, and the operator's flags."""

    source_counts: dict[str, int] = field(default_factory=dict)
    baseline_counts: dict[str, int] | None = None
    # No sync of the school has applied yet: its creates are never mass creates, even when
    # a killed first attempt or a reconciliation already put some of its users on the org.
    first_sync: bool = False
    allow_mass_deactivation: bool = False
    allow_mass_changes: bool = False


def _blanks(name: str) -> str:
    # Both column names come from BLANKABLE_FIELDS, never from input.
    return f"c.{name} IS NULL AND p.{name} IS NOT NULL"


def count_mass_changes(con: duckdb.DuckDBPyConnection) -> MassChanges:
    """Counts of the not-held rows of `sync.changeset` against `platform_classified`."""
    by_type = con.execute(
        "SELECT action, member_type, count(*) FROM sync.changeset "
        "WHERE NOT held AND action IN ('create', 'deactivate') GROUP BY ALL"
    ).fetchall()
    blank_counts = ", ".join(
        f"count(*) FILTER ({_blanks(name)}) AS {name}" for name in BLANKABLE_FIELDS
    )
    blanks = con.execute(
        f"SELECT {blank_counts} FROM sync.changeset AS c "
        "JOIN platform_classified AS p USING (host_id) "
        "WHERE NOT c.held AND list_contains($actions, c.action)",
        {"actions": list(BLANKING_ACTIONS)},
    ).fetchall()[0]
    managed = con.execute(
        "SELECT DISTINCT member_type FROM platform_classified WHERE managed"
    ).fetchall()
    return MassChanges(
        creates={t: n for action, t, n in by_type if action == "create"},
        deactivations={t: n for action, t, n in by_type if action == "deactivate"},
        blanks={name: n for name, n in zip(BLANKABLE_FIELDS, blanks, strict=True) if n},
        managed_types=frozenset(t for (t,) in managed),
    )


def hold_mass_changes(
    con: duckdb.DuckDBPyConnection, school: SchoolSettings, active_managed: int, run: RunSafety
) -> tuple[HoldDecision, int]:
    """Decide this run's holds and mark their rows held; returns the decision and the limit."""
    rule = school.safety.max_deactivations
    limit = deactivation_limit(active_managed, rule.fraction, rule.minimum)
    changes = count_mass_changes(con)
    if run.first_sync:
        changes = replace(changes, managed_types=frozenset())
    decision = decide_holds(
        changes,
        limit,
        unhealthy_tables(run.source_counts, run.baseline_counts, rule.fraction),
        allow_mass_deactivation=run.allow_mass_deactivation,
        allow_mass_changes=run.allow_mass_changes,
    )
    for hold in decision.holds:
        where = "NOT c.held AND c.action = $action"
        params: dict = {"reason": hold.hold_reason, "action": hold.action}
        if hold.member_type:
            where += " AND c.member_type = $member_type"
            params["member_type"] = hold.member_type
        if hold.field:
            where = (
                "NOT c.held AND list_contains($actions, c.action) AND EXISTS (SELECT 1 FROM "
                f"platform_classified AS p WHERE p.host_id = c.host_id AND {_blanks(hold.field)})"
            )
            params = {"reason": hold.hold_reason, "actions": list(BLANKING_ACTIONS)}
        con.execute(
            f"UPDATE sync.changeset AS c SET held = true, hold_reason = $reason WHERE {where}",
            params,
        )
    return decision, limit
