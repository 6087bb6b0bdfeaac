"""Build `sync.changeset` from `sync.roster` and `sync.platform_users`.

Also writes `sync.unmanaged_users` (platform users the sync leaves alone),
`sync.reconciliation_candidates` (the duplicate guard's evidence, including the old accounts
the school's last mapping file names) and `sync.changeset_context` (one row: the changeset's
ID, the extraction's raw table sizes and the run's hold decision, for the sink). The
decisions live in `platform_users.sql`, `same_person_evidence.sql` (shared with the
reconciliation), `duplicate_guard.sql`, `changeset.sql` and `holds.py`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import duckdb

from sis_pipeline.config.models import SchoolSettings
from sis_pipeline.transform.holds import HoldDecision
from sis_pipeline.transform.mass_changes import RunSafety, hold_mass_changes
from sis_pipeline.transform.operations import changeset_id_of
from sis_pipeline.transform.run_settings import write_run_settings
from sis_pipeline.transform.sql_files import run_sql, transaction

ACTIONS = ("create", "update", "reactivate", "deactivate", "unchanged")


@dataclass(frozen=True)
class ChangesetSummary:
    """Counts of `sync.changeset`. Held rows count in `held` only, not under their action."""

    changeset_id: str
    actions: dict[str, int]  # action -> not-held rows
    by_member_type: dict[str, dict[str, int]]  # action -> member_type -> not-held rows
    held: int  # rows held by the duplicate guard or a safety rule
    active_managed_users: int  # the safety rule's base, counted before anything is applied
    unmanaged_users: int = 0
    reconciliation_candidates: int = 0
    held_by_member_type: dict[str, int] = field(default_factory=dict)
    decision: HoldDecision = field(default_factory=HoldDecision)
    limit: int = 0  # the mass-change limit of this run


class PlatformListingError(ValueError):
    """The platform listing breaks its own contract (a host ID listed twice)."""


def check_platform_listing(con: duckdb.DuckDBPyConnection) -> None:
    duplicated = con.execute(
        "SELECT count(*) FROM (SELECT host_id FROM sync.platform_users "
        "GROUP BY host_id HAVING count(*) > 1)"
    ).fetchall()[0][0]
    if duplicated:
        # Host IDs are unique in an org; a repeat means the listing went wrong (paging), and
        # acting on it could deactivate or duplicate users.
        raise PlatformListingError(f"{duplicated} host IDs appear more than once in the listing")


def build_changeset(
    con: duckdb.DuckDBPyConnection, school: SchoolSettings, run: RunSafety | None = None
) -> ChangesetSummary:
    """Replace the changeset tables for `school`; `sync.roster` and `sync.platform_users` exist.

    Every hold (duplicate guard, mass changes, source health) is decided here, before the
    changeset's ID is computed, so the ID covers what is held.
    """
    check_platform_listing(con)
    run_sql(con, "macros")
    write_run_settings(con, school)
    # The duplicate guard reads the school's last reconciliation, if there was one.
    run_sql(con, "reconciliation_tables")
    run = run or RunSafety()
    # One transaction: the sink never finds a changeset without its holds or its context.
    with transaction(con):
        for name in ("platform_users", "same_person_evidence", "duplicate_guard", "changeset"):
            run_sql(con, name)
        decision, limit = hold_mass_changes(con, school, _active_managed(con), run)
        summary = _summarise(con, decision, limit)
        con.execute(
            "CREATE OR REPLACE TABLE sync.changeset_context AS SELECT ? AS changeset_id, "
            "?::JSON AS source_counts, ?::JSON AS hold_decision",
            [summary.changeset_id, json.dumps(run.source_counts), json.dumps(decision.record())],
        )
    return summary


def _active_managed(con: duckdb.DuckDBPyConnection) -> int:
    return con.execute(
        "SELECT count(*) FROM platform_classified WHERE managed AND status = 'active'"
    ).fetchall()[0][0]


def _summarise(
    con: duckdb.DuckDBPyConnection, decision: HoldDecision, limit: int
) -> ChangesetSummary:
    rows = con.execute(
        "SELECT action, member_type, held, count(*) FROM sync.changeset GROUP BY ALL"
    ).fetchall()
    actions = dict.fromkeys(ACTIONS, 0)
    by_member_type: dict[str, dict[str, int]] = {action: {} for action in ACTIONS}
    held_by_member_type: dict[str, int] = {}
    for action, member_type, held, count in rows:
        if held:
            held_by_member_type[member_type] = held_by_member_type.get(member_type, 0) + count
            continue
        actions[action] += count
        by_member_type[action][member_type] = count
    counts = con.execute(
        "SELECT (SELECT count(*) FROM sync.unmanaged_users), "
        "(SELECT count(*) FROM sync.reconciliation_candidates)"
    ).fetchall()[0]
    return ChangesetSummary(
        changeset_id=changeset_id_of(con),
        actions=actions,
        by_member_type=by_member_type,
        held=sum(held_by_member_type.values()),
        active_managed_users=_active_managed(con),
        unmanaged_users=counts[0],
        reconciliation_candidates=counts[1],
        held_by_member_type=held_by_member_type,
        decision=decision,
        limit=limit,
    )
