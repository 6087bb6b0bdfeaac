"""Build `sync.changeset` from `sync.roster` and `sync.platform_users`.

Also writes `sync.unmanaged_users` (platform users the sync leaves alone) and
`sync.reconciliation_candidates` (the duplicate guard's evidence, including the old accounts
the school's last mapping file names). The decisions live in `platform_users.sql`,
`same_person_evidence.sql` (shared with the reconciliation), `duplicate_guard.sql` and
`changeset.sql`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import duckdb

from sis_pipeline.config.models import SchoolSettings
from sis_pipeline.transform.operations import changeset_id, pending_operations
from sis_pipeline.transform.run_settings import write_run_settings
from sis_pipeline.transform.sql_files import run_sql, run_sql_atomically

ACTIONS = ("create", "update", "reactivate", "deactivate", "unchanged")


@dataclass(frozen=True)
class ChangesetSummary:
    """Counts of `sync.changeset`. Held rows count in `held` only, not under their action."""

    changeset_id: str
    actions: dict[str, int]  # action -> not-held rows
    by_member_type: dict[str, dict[str, int]]  # action -> member_type -> not-held rows
    held: int  # creates held by the duplicate guard
    active_managed_users: int  # the safety rule's base, counted before anything is applied
    unmanaged_users: int = 0
    reconciliation_candidates: int = 0
    held_by_member_type: dict[str, int] = field(default_factory=dict)


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


def build_changeset(con: duckdb.DuckDBPyConnection, school: SchoolSettings) -> ChangesetSummary:
    """Replace the changeset tables for `school`; `sync.roster` and `sync.platform_users` exist."""
    check_platform_listing(con)
    run_sql(con, "macros")
    write_run_settings(con, school)
    # The duplicate guard reads the school's last reconciliation, if there was one.
    run_sql(con, "reconciliation_tables")
    run_sql_atomically(
        con, "platform_users", "same_person_evidence", "duplicate_guard", "changeset"
    )
    return _summarise(con)


def _summarise(con: duckdb.DuckDBPyConnection) -> ChangesetSummary:
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
        "SELECT (SELECT count(*) FROM platform_classified WHERE managed AND status = 'active'), "
        "(SELECT count(*) FROM sync.unmanaged_users), "
        "(SELECT count(*) FROM sync.reconciliation_candidates)"
    ).fetchall()[0]
    return ChangesetSummary(
        changeset_id=changeset_id(pending_operations(con)),
        actions=actions,
        by_member_type=by_member_type,
        held=sum(held_by_member_type.values()),
        active_managed_users=counts[0],
        unmanaged_users=counts[1],
        reconciliation_candidates=counts[2],
        held_by_member_type=held_by_member_type,
    )
