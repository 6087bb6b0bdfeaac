"""The sync's decision core: who is on the roster, what changes, and when to hold.

Works on a DuckDB connection to one school's file: raw PowerSchool tables in schema
`powerschool` in, tables in schema `sync` out. No Dagster, no HTTP.
"""

from sis_pipeline.transform.changeset import ChangesetSummary, build_changeset
from sis_pipeline.transform.operations import changeset_id, pending_operations
from sis_pipeline.transform.roster import RosterSummary, build_roster
from sis_pipeline.transform.safety import (
    HoldDecision,
    deactivation_limit,
    hold_deactivations,
    source_health_problems,
)
from sis_pipeline.transform.validation import RosterFailure, RosterRow, validate_roster_frame

__all__ = [
    "ChangesetSummary",
    "HoldDecision",
    "RosterFailure",
    "RosterRow",
    "RosterSummary",
    "build_changeset",
    "build_roster",
    "changeset_id",
    "deactivation_limit",
    "hold_deactivations",
    "pending_operations",
    "source_health_problems",
    "validate_roster_frame",
]
