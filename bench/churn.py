"""A district a week on with about `share` of its people changed.

`next_week` brings the usual week (arrivals, departures, renames, promotions: about 1.5%);
ordinary students are renamed on top until the changed IDs reach the share.
"""

from __future__ import annotations

import numpy as np

from sis_pipeline.sandbox.district import District, next_week
from sis_pipeline.sandbox.district.generator import finish_tables
from sis_pipeline.sandbox.district.week_changes import rename_students
from sis_pipeline.sandbox.district.week_picks import planted


def churn(district: District, share: float = 0.02, seed: int = 1) -> tuple[District, int]:
    """The churned district and how many IDs changed."""
    later = next_week(district, seed=seed)
    changes = {k: v for k, v in later.hard_cases.items() if k not in district.hard_cases}
    changed = len({(k, i) for k, ids in changes.items() for i in ids})
    extra = max(0, round(district.people * share) - changed)
    tables = {name: frame.copy() for name, frame in later.tables.items()}
    students = tables["students"].reset_index(drop=True)
    tables["students"] = students
    touched = planted(later.hard_cases, "students") | {i for ids in changes.values() for i in ids}
    free = np.flatnonzero(~students.dcid.isin(touched).to_numpy())
    rng = np.random.default_rng(seed)
    rows = np.sort(rng.choice(free, size=min(extra, len(free)), replace=False))
    renamed = rename_students(rng, tables, rows)
    churned = District(
        finish_tables(tables),
        later.seed,
        later.today,
        later.school_numbers,
        later.hard_cases | {"bench_renamed": renamed},
    )
    return churned, changed + len(renamed)
