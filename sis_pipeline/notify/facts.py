"""What one sync or reconcile run did, as plain values: the input of the e-mail and the report.

People appear by host ID at most (or, for a quarantined row without one, by its PowerSchool
table and record ID); never by name, birth date, gender or e-mail address.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class ActionCount:
    """Changeset rows of one action and member type: sent (or would be), held, refused."""

    action: str
    member_type: str
    users: int
    held: int = 0
    failed: int = 0


@dataclass(frozen=True)
class HeldChange:
    host_id: str
    member_type: str
    action: str
    rule: str


@dataclass(frozen=True)
class QuarantinedRow:
    person: str  # the host ID, or `<table>:<record id>` when the row has none
    member_type: str
    reason: str


@dataclass(frozen=True)
class FailedOperation:
    host_id: str
    action: str
    code: str


@dataclass(frozen=True)
class RejectedMappingRow:
    line: int | None
    old_host_id: str
    new_host_id: str
    reason: str


@dataclass(frozen=True)
class StepTiming:
    step: str
    status: str
    seconds: float | None


@dataclass(frozen=True)
class RunFacts:
    school: str
    run_id: str
    job: str
    kind: str  # "sync" or "reconcile": what the run was for
    outcome: str  # sis_pipeline/state/outcome.py: applied, held, failed, test_run
    test_run: bool
    failure: str = ""  # one line saying why the run failed; empty when it did not
    sync_counts: dict[str, int] | None = None  # the sync's --json counts, if it got that far
    reconcile_counts: dict[str, int] | None = None  # the reconcile's, likewise
    by_action: list[ActionCount] = field(default_factory=list)
    hold_reasons: list[str] = field(default_factory=list)  # the rule and the likely cause
    held: list[HeldChange] = field(default_factory=list)
    quarantined: list[QuarantinedRow] = field(default_factory=list)
    failed_operations: list[FailedOperation] = field(default_factory=list)
    rejected_rows: list[RejectedMappingRow] = field(default_factory=list)
    extraction: dict[str, int] = field(default_factory=dict)  # rows extracted per table
    timings: list[StepTiming] = field(default_factory=list)
    files: dict[str, str] = field(default_factory=dict)  # other files this run wrote
    report_path: str = ""
    run_url: str = ""


def run_url(dagster_url: str | None, run_id: str) -> str:
    """The run's page in the Dagster UI, when the schools file says where the UI is."""
    return f"{dagster_url.rstrip('/')}/runs/{run_id}" if dagster_url else ""


def counted(values: list[str]) -> list[tuple[str, int]]:
    """(value, how many) for each distinct value, most frequent first, then by value."""
    counts: dict[str, int] = {}
    for value in values:
        counts[value] = counts.get(value, 0) + 1
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))
