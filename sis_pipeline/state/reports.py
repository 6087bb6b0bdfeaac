"""The school's report files, under <data dir>/reports/<school>/, readable by their owner only.

The sink's error report and the reconciliation's reports and proposals are CSV files that
hold host IDs, actions, codes and evidence kinds, never names, birth dates or e-mails.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path


def reports_folder(data_root: Path, key: str) -> Path:
    return data_root / "reports" / key


def write_owner_only_csv(path: Path, header: Iterable[str], rows: Iterable[Iterable]) -> Path:
    """Write `header` then `rows` to `path`, creating its folder; the file is owner-only."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    # Owner-only before anything is written into it (chmod too: the file may exist already).
    path.touch(mode=0o600)
    path.chmod(0o600)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path
