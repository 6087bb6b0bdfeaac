"""The school's report files, under <data dir>/reports/<school>/, readable by their owner only.

The sink's error report and the reconciliation's reports and proposals are CSV files that
hold host IDs, actions, codes and evidence kinds, never names, birth dates or e-mails; so
does each run's HTML report.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path


def reports_folder(data_root: Path, key: str) -> Path:
    return data_root / "reports" / key


def errors_file(data_root: Path, key: str, run_id: str) -> Path:
    """The sink's operations the platform refused in one run, with its codes and messages."""
    return reports_folder(data_root, key) / f"errors-{run_id}.csv"


def write_owner_only_csv(path: Path, header: Iterable[str], rows: Iterable[Iterable]) -> Path:
    """Write `header` then `rows` to `path`, creating its folder; the file is owner-only."""
    _owner_only(path)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def write_owner_only_text(path: Path, text: str) -> Path:
    """Write `text` to `path`, creating its folder; the file is owner-only."""
    _owner_only(path)
    path.write_text(text, encoding="utf-8")
    return path


def _owner_only(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    # Owner-only before anything is written into it (chmod too: the file may exist already).
    path.touch(mode=0o600)
    path.chmod(0o600)
