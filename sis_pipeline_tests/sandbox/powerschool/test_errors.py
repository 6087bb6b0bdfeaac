"""The error bodies of the table API, exactly as recorded from a real server."""

from __future__ import annotations

import pytest

from sis_pipeline.sandbox.powerschool import PowerSchoolSimulator

from .ws_client import WsClient


def test_unknown_projection_column_is_400(ws: WsClient) -> None:
    response = ws.get("/ws/schema/table/students", projection="dcid,zzz")
    assert response.status_code == 400
    assert response.json() == {
        "message": "Invalid field specified: zzz is not valid column for table: Students"
    }


@pytest.mark.parametrize("email", ["student_email", "email", "email_addr"])
def test_students_have_no_email_column(ws: WsClient, email: str) -> None:
    response = ws.get("/ws/schema/table/students", projection=f"dcid,{email}")
    assert response.status_code == 400


def test_users_have_no_id_column(ws: WsClient) -> None:
    response = ws.get("/ws/schema/table/users", projection="id")
    assert response.json() == {
        "message": "Invalid field specified: id is not valid column for table: Users"
    }


def test_another_tables_wildcard_is_400(ws: WsClient) -> None:
    assert ws.get("/ws/schema/table/students", projection="users.*").status_code == 400


@pytest.mark.parametrize("tail", ["", "/count", "/1"])
def test_unknown_table_is_404(ws: WsClient, tail: str) -> None:
    response = ws.get(f"/ws/schema/table/no_such_table{tail}", projection="*")
    assert response.status_code == 404
    assert response.json() == {"message": "Resource not found"}


@pytest.mark.parametrize("path", ["/ws/schema/table/teachers", "/ws/schema/table/Teachers/count"])
def test_teachers_view_is_405(ws: WsClient, path: str) -> None:
    response = ws.get(path, projection="*")
    assert response.status_code == 405
    assert response.json() == {"message": "GET, POST and PUT are not allowed on table"}


def test_writes_are_refused(ws: WsClient) -> None:
    headers = {"Authorization": f"Bearer {ws.token}", "Accept": "application/json"}
    response = ws.http.post("/ws/schema/table/students", json={}, headers=headers)
    assert response.status_code == 405
    view = ws.http.put("/ws/schema/table/teachers/1", json={}, headers=headers)
    assert view.json() == {"message": "GET, POST and PUT are not allowed on table"}


def test_unknown_ws_path_is_404(ws: WsClient) -> None:
    assert ws.get("/ws/schema/nothing").status_code == 404
    assert ws.get("/ws/schema/table/students/1/extra", projection="*").status_code == 404


def test_errors_are_json(ws: WsClient, sim: PowerSchoolSimulator) -> None:
    response = ws.get("/ws/schema/table/students", projection="zzz")
    assert response.headers["Content-Type"].startswith("application/json")
    assert sim.requests[-1] == ("GET", "/ws/schema/table/students", 400)
