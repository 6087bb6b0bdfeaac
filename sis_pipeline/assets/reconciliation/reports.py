"""The reconciliation's files for the school, under <data dir>/reports/<school>/, owner-only.

`reconciliation-<run>.csv` says what became of each mapping row (renamed, already renamed,
rejected or failed, with the reason). `proposals-<run>.csv` lists matches for the old accounts
the mapping missed, in the mapping file's own columns first, so the school can delete the
wrong rows and send the file back as its next mapping; rows left ambiguous are then rejected
as duplicates, never guessed.

Both hold host IDs, member types and evidence kinds only, never names, birth dates or
e-mails: the files travel to the school by whatever channel it uses, and the school looks
both IDs up in PowerSchool and on the platform, where the person's details already are.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from sis_pipeline.state.reports import write_owner_only_csv

OUTCOME_COLUMNS = ("line", "old_host_id", "new_host_id", "outcome", "reason")
PROPOSAL_COLUMNS = ("old_host_id", "new_host_id", "member_type", "tier", "evidence", "ambiguous")


def write_outcome_report(folder: Path, run_id: str, rows: Iterable[tuple]) -> Path:
    return write_owner_only_csv(folder / f"reconciliation-{run_id}.csv", OUTCOME_COLUMNS, rows)


def write_proposals_file(folder: Path, run_id: str, rows: Iterable[tuple]) -> Path:
    return write_owner_only_csv(folder / f"proposals-{run_id}.csv", PROPOSAL_COLUMNS, rows)
