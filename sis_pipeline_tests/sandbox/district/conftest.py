"""Districts shared by the tests: the smallest size, a larger one, a one-school one, and
the small and larger ones a week (and two) on."""

from __future__ import annotations

import pytest

from sis_pipeline.sandbox.district import District, generate_district, next_week
from sis_pipeline_tests.sandbox.district.district_dates import TODAY

LARGER = 20_000


@pytest.fixture(scope="session")
def small() -> District:
    return generate_district(50, seed=3, today=TODAY)


@pytest.fixture(scope="session")
def larger() -> District:
    return generate_district(LARGER, seed=5, school_numbers=(300, 100, 200), today=TODAY)


@pytest.fixture(scope="session")
def one_school() -> District:
    return generate_district(300, seed=9, school_numbers=(7,), today=TODAY)


@pytest.fixture(scope="session")
def small_next_week(small: District) -> District:
    return next_week(small, seed=11)


@pytest.fixture(scope="session")
def small_two_weeks(small_next_week: District) -> District:
    return next_week(small_next_week, seed=2)


@pytest.fixture(scope="session")
def larger_next_week(larger: District) -> District:
    return next_week(larger)


@pytest.fixture(
    params=[
        "small",
        "larger",
        "one_school",
        "small_next_week",
        "small_two_weeks",
        "larger_next_week",
    ]
)
def district(request) -> District:
    """Every hard case must hold at any size, and still a week later."""
    return request.getfixturevalue(request.param)
