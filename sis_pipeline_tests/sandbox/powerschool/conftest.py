"""Fixtures: a started simulator on the sample district and an httpx client bound to it."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from sis_pipeline.sandbox.powerschool import PowerSchoolSimulator

from .sample_district import CLIENT_ID, CLIENT_SECRET, sample_tables
from .ws_client import WsClient


@pytest.fixture
def sim() -> Iterator[PowerSchoolSimulator]:
    simulator = PowerSchoolSimulator(
        sample_tables(), client_id=CLIENT_ID, client_secret=CLIENT_SECRET, max_page_size=3
    )
    with simulator:
        yield simulator
    assert simulator.internal_errors == []


@pytest.fixture(scope="package")
def shared_http() -> Iterator[httpx.Client]:
    # Building an httpx.Client loads the CA bundle (~0.1 s); one client serves every test.
    with httpx.Client(timeout=10) as client:
        yield client


@pytest.fixture
def http(sim: PowerSchoolSimulator, shared_http: httpx.Client) -> httpx.Client:
    shared_http.base_url = sim.url
    return shared_http


@pytest.fixture
def ws(http: httpx.Client) -> WsClient:
    return WsClient(http)
