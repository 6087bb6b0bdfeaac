"""The sync's decision core: who is on the roster, what changes, and when to hold.

Works on a DuckDB connection to one school's file: raw PowerSchool tables in schema
`powerschool` in, tables in schema `sync` out. No Dagster, no HTTP.
"""

from sis_pipeline.transform.changeset import ChangesetSummary, build_changeset
from sis_pipeline.transform.holds import Hold, HoldDecision, MassChanges, decide_holds
from sis_pipeline.transform.mass_changes import RunSafety
from sis_pipeline.transform.operations import changeset_id, pending_operations
from sis_pipeline.transform.roster import RosterSummary, build_roster
from sis_pipeline.transform.safety import (
    deactivation_limit,
    source_health_problems,
    unhealthy_tables,
)
from sis_pipeline.transform.validation import RosterFailure, RosterRow, validate_roster_frame

__all__ = [
    "ChangesetSummary",
    "Hold",
    "HoldDecision",
    "MassChanges",
    "RosterFailure",
    "RosterRow",
    "RosterSummary",
    "RunSafety",
    "build_changeset",
    "build_roster",
    "changeset_id",
    "deactivation_limit",
    "decide_holds",
    "pending_operations",
    "source_health_problems",
    "unhealthy_tables",
    "validate_roster_frame",
]
