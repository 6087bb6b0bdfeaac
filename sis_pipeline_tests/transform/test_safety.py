"""The safety limit and the source-health rule."""

from __future__ import annotations

import pytest

from sis_pipeline.transform import deactivation_limit, source_health_problems, unhealthy_tables


@pytest.mark.parametrize(
    ("active", "fraction", "minimum", "limit"),
    [
        (1000, 0.10, 5, 100),
        (25, 0.10, 5, 5),  # the minimum wins
        (0, 0.10, 5, 5),
        (35, 0.10, 0, 3),  # 3.5 rounds down: 4 deactivations are more than 3.5
        (100, 0.29, 0, 29),  # 0.29 * 100 is 28.999... in binary floating point
        (10, 0.7, 0, 7),
        (10, 1.0, 0, 10),
        (10, 0.0, 0, 0),
    ],
)
def test_deactivation_limit(active, fraction, minimum, limit):
    assert deactivation_limit(active, fraction, minimum) == limit


def test_health_empty_table_without_history():
    assert source_health_problems({"students": 0, "users": 10}, None, 0.1) == [
        "table students came back empty"
    ]
    assert source_health_problems({"students": 5}, None, 0.1) == []


def test_health_shrink_beyond_the_fraction_only():
    last = {"students": 1000, "users": 100, "person": 50}
    current = {"students": 900, "users": 89, "person": 0, "schoolstaff": 3}
    assert source_health_problems(current, last, 0.10) == [
        "table person came back empty",
        "table users shrank from 100 to 89 rows, more than 10% since the last applied sync",
    ]
    # Exactly the fraction is not more than it; growth is fine.
    assert source_health_problems({"students": 900, "users": 500}, last, 0.10) == []


def test_unhealthy_tables_name_each_table():
    assert unhealthy_tables({"emailaddress": 0, "students": 90}, {"students": 100}, 0.05) == {
        "emailaddress": "table emailaddress came back empty",
        "students": "table students shrank from 100 to 90 rows, "
        "more than 5% since the last applied sync",
    }
