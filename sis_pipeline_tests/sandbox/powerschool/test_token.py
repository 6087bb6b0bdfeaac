"""The client-credentials token endpoint."""

from __future__ import annotations

import base64
import time
import uuid

import httpx
import pytest

from sis_pipeline.sandbox.powerschool import PowerSchoolSimulator

from .sample_district import CLIENT_ID, CLIENT_SECRET, sample_tables
from .ws_client import FORM, request_token


@pytest.mark.parametrize("path", ["/oauth/access_token", "/oauth/access_token/"])
def test_token_on_both_paths_has_the_documented_shape(http: httpx.Client, path: str) -> None:
    response = request_token(http, path)
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"access_token", "token_type", "expires_in"}
    assert body["token_type"] == "Bearer"
    assert uuid.UUID(body["access_token"])
    assert isinstance(body["expires_in"], str)
    assert 2591990 <= int(body["expires_in"]) <= 2592000


def test_basic_header_built_by_hand_is_accepted(http: httpx.Client) -> None:
    basic = base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
    headers = {**FORM, "Authorization": f"Basic {basic}", "Accept": "application/json"}
    response = http.post(
        "/oauth/access_token", content="grant_type=client_credentials", headers=headers
    )
    assert response.status_code == 200


def test_same_token_until_it_expires(http: httpx.Client, sim: PowerSchoolSimulator) -> None:
    first = request_token(http).json()["access_token"]
    second = request_token(http, "/oauth/access_token/").json()["access_token"]
    assert first == second
    assert sim.request_counts["/oauth/access_token"] == 2


@pytest.mark.parametrize(
    "auth", [(CLIENT_ID, "wrong"), ("wrong", CLIENT_SECRET), (CLIENT_SECRET, CLIENT_ID)]
)
def test_bad_credentials_are_401_invalid_client(http: httpx.Client, auth: tuple[str, str]) -> None:
    response = request_token(http, auth=auth)
    assert response.status_code == 401
    assert response.json() == {"error": "invalid_client"}


def test_missing_basic_header_is_401(http: httpx.Client) -> None:
    response = http.post(
        "/oauth/access_token", content="grant_type=client_credentials", headers=FORM
    )
    assert response.status_code == 401
    assert response.json() == {"error": "invalid_client"}


def test_other_grant_is_400_unsupported(http: httpx.Client) -> None:
    response = http.post(
        "/oauth/access_token",
        auth=(CLIENT_ID, CLIENT_SECRET),
        content="grant_type=password",
        headers=FORM,
    )
    assert response.status_code == 400
    assert response.json() == {"error": "unsupported_grant_type"}


def test_grant_sent_as_json_is_refused(http: httpx.Client) -> None:
    response = http.post(
        "/oauth/access_token",
        auth=(CLIENT_ID, CLIENT_SECRET),
        json={"grant_type": "client_credentials"},
    )
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_request"


def test_get_on_token_endpoint_is_405(http: httpx.Client) -> None:
    assert http.get("/oauth/access_token").status_code == 405


def test_expires_in_counts_down_and_a_dead_token_is_replaced() -> None:
    with (
        PowerSchoolSimulator(
            sample_tables(),
            client_id=CLIENT_ID,
            client_secret=CLIENT_SECRET,
            token_lifetime_seconds=2,
        ) as sim,
        httpx.Client(base_url=sim.url) as http,
    ):
        first = request_token(http).json()
        assert first["expires_in"] == "2"
        time.sleep(1.05)
        again = request_token(http).json()
        assert again["access_token"] == first["access_token"]
        assert again["expires_in"] == "1"
        time.sleep(1.0)
        headers = {"Authorization": f"Bearer {first['access_token']}", "Accept": "application/json"}
        expired = http.get("/ws/v1/metadata", headers=headers)
        assert expired.status_code == 401
        assert "has expired" in expired.headers["WWW-Authenticate"]
        fresh = request_token(http).json()
        assert fresh["access_token"] != first["access_token"]
        assert fresh["expires_in"] == "2"


def test_token_outage_fault_answers_its_status(
    http: httpx.Client, sim: PowerSchoolSimulator
) -> None:
    sim.faults.token_error_status = 503
    assert request_token(http).status_code == 503
    sim.faults.token_error_status = None
    assert request_token(http).status_code == 200
