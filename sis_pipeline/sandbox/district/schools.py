"""SCHOOLS: one row per school number, plus the district's "Graduated Students" school."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .context import GRADUATED_GRADE, GRADUATED_SCHOOL
from .frames import int_column, make_frame
from .name_pools import SCHOOL_NAMES


def build_schools(school_numbers: tuple[int, ...]) -> pd.DataFrame:
    numbers = np.array([*school_numbers, GRADUATED_SCHOOL], dtype=np.int64)
    n = len(numbers)
    names = [SCHOOL_NAMES[i % len(SCHOOL_NAMES)] for i in range(n - 1)] + ["Graduated Students"]
    abbreviations = ["".join(w[0] for w in name.split()) for name in names]
    return make_frame(
        "schools",
        {
            "dcid": int_column(np.arange(1, n + 1)),
            "id": int_column(np.arange(n) + 2),
            "school_number": int_column(numbers),
            "name": np.array(names, dtype=object),
            "abbreviation": np.array(abbreviations, dtype=object),
            "low_grade": int_column(np.where(numbers == GRADUATED_SCHOOL, GRADUATED_GRADE, -2)),
            "high_grade": int_column(np.where(numbers == GRADUATED_SCHOOL, GRADUATED_GRADE, 12)),
        },
        n,
    )
