"""Districts shared by the tests: the smallest size, a larger one, and the larger a week on."""

from __future__ import annotations

import datetime as dt

import pytest

from sis_pipeline.sandbox.district import District, generate_district, next_week

TODAY = dt.date(2026, 3, 2)
LARGER = 20_000


@pytest.fixture(scope="session")
def small() -> District:
    return generate_district(50, seed=3, today=TODAY)


@pytest.fixture(scope="session")
def larger() -> District:
    return generate_district(LARGER, seed=5, school_numbers=(300, 100, 200), today=TODAY)


@pytest.fixture(scope="session")
def small_next_week(small: District) -> District:
    return next_week(small, seed=11)


@pytest.fixture(scope="session")
def larger_next_week(larger: District) -> District:
    return next_week(larger)


@pytest.fixture(params=["small", "larger", "small_next_week", "larger_next_week"])
def district(request) -> District:
    """Every hard case must hold at any size, and still a week later."""
    return request.getfixturevalue(request.param)
