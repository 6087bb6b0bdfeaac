"""The bearer check every /ws call passes through, and /ws/v1/metadata."""

from __future__ import annotations

import httpx

from sis_pipeline.sandbox.powerschool import PowerSchoolSimulator

from .ws_client import WsClient

EXPECTED_CHALLENGE = 'Bearer error="invalid_token",realm="PowerSchool",error_description='


def test_missing_bearer_is_401_with_challenge(http: httpx.Client) -> None:
    response = http.get("/ws/v1/metadata", headers={"Accept": "application/json"})
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert "message" in response.json()


def test_unknown_token_is_401_invalid_token(http: httpx.Client) -> None:
    headers = {"Authorization": "Bearer not-a-token", "Accept": "application/json"}
    response = http.get("/ws/schema/table/students", params={"projection": "*"}, headers=headers)
    assert response.status_code == 401
    challenge = response.headers["WWW-Authenticate"]
    assert challenge == EXPECTED_CHALLENGE + '"The access token is invalid"'
    assert response.json()["error"] == "invalid_token"


def test_basic_auth_on_ws_is_refused(http: httpx.Client) -> None:
    response = http.get("/ws/v1/metadata", auth=("a", "b"), headers={"Accept": "application/json"})
    assert response.status_code == 401


def test_ws_without_json_accept_is_406(ws: WsClient) -> None:
    headers = {"Authorization": f"Bearer {ws.token}"}
    response = ws.http.get("/ws/v1/metadata", headers=headers)
    assert response.status_code == 406
    assert "application/json" in response.json()["message"]


def test_metadata_shape(ws: WsClient) -> None:
    response = ws.get("/ws/v1/metadata")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/json")
    metadata = response.json()["metadata"]
    assert metadata["schema_table_query_max_page_size"] == 3
    assert metadata["powerschool_version"] == "25.2.0.0"
    for key in (
        "plugin_id",
        "student_max_page_size",
        "staff_max_page_size",
        "school_max_page_size",
        "state",
        "district_timezone",
    ):
        assert key in metadata


def test_other_v1_resources_are_not_served(ws: WsClient, sim: PowerSchoolSimulator) -> None:
    assert ws.get("/ws/v1/district/student").status_code == 404
    assert sim.request_counts["/ws/v1/district/student"] == 1


def test_powerquery_is_not_installed(ws: WsClient) -> None:
    headers = {"Authorization": f"Bearer {ws.token}", "Accept": "application/json"}
    response = ws.http.post("/ws/schema/query/com.example.students", json={}, headers=headers)
    assert response.status_code == 404
    assert "not found" in response.json()["message"]
