"""Fixtures: a started sandbox platform with a manual clock, and a client authorised for it."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from sis_pipeline.sandbox.platform import PlatformServer
from sis_pipeline_tests.sandbox.platform.support import (
    ORG,
    OTHER_ORG,
    TOKEN,
    ManualClock,
    make_client,
)


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def server(clock: ManualClock) -> Iterator[PlatformServer]:
    orgs = {ORG: "Riverdale High School", OTHER_ORG: "Hillside School"}
    with PlatformServer(token=TOKEN, orgs=orgs, clock=clock) as srv:
        yield srv


@pytest.fixture
def client(server: PlatformServer) -> Iterator[httpx.Client]:
    with make_client(server.url) as http:
        yield http
