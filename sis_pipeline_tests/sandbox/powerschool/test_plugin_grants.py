"""plugin.xml field grants: 403 bodies, what FullAccess means, install-time validation."""

from __future__ import annotations

import pytest

from sis_pipeline.sandbox.powerschool import PluginRejected, PowerSchoolSimulator

from .plugin_files import STUDENT_NAMES, plugin_xml
from .sample_district import sample_tables
from .ws_client import WsClient, request_token


@pytest.fixture
def granted(sim: PowerSchoolSimulator) -> PowerSchoolSimulator:
    sim.set_plugin_xml(STUDENT_NAMES)
    return sim


def no_access(*fields: str, table: str = "Students") -> dict:
    return {
        "message": "At least one column lacks sufficient permission",
        "errors": [{"code": "NoAccess", "field": f, "resource": table} for f in fields],
    }


def test_granted_columns_read_in_any_case(granted, ws: WsClient) -> None:
    rows = ws.rows("students", projection="DCID,first_name,LAST_NAME")
    assert rows[0]["tables"]["students"] == {
        "dcid": "101",
        "first_name": "Ann",
        "last_name": "Adams",
    }


def test_full_access_includes_read(granted, ws: WsClient) -> None:
    assert ws.rows("students", projection="last_name")[0]["tables"]["students"]["last_name"]


def test_ungranted_column_is_403_in_canonical_case(granted, ws: WsClient) -> None:
    response = ws.get("/ws/schema/table/students", projection="dcid,dob,grade_level")
    assert response.status_code == 403
    assert response.json() == no_access("DOB", "Grade_Level")


def test_star_with_partial_grants_lists_every_ungranted_column(granted, ws: WsClient) -> None:
    response = ws.get("/ws/schema/table/students", projection="*")
    assert response.status_code == 403
    fields = [e["field"] for e in response.json()["errors"]]
    assert "DOB" in fields and "Student_Number" in fields
    assert not {"DCID", "First_Name", "Last_Name"} & set(fields)


def test_column_name_is_checked_before_permission(granted, ws: WsClient) -> None:
    response = ws.get("/ws/schema/table/users", projection="dcid,nope")
    assert response.status_code == 400
    typed = ws.get("/ws/schema/table/students", projection="dcid", q="grade_level==x")
    assert typed.status_code == 400


def test_filter_and_sort_columns_need_grants_too(granted, ws: WsClient) -> None:
    filtered = ws.get("/ws/schema/table/students", projection="dcid", q="enroll_status==0")
    assert filtered.json() == no_access("Enroll_Status")
    sorted_ = ws.get("/ws/schema/table/students", projection="dcid", sort="dob")
    assert sorted_.json() == no_access("DOB")
    ok = ws.get(
        "/ws/schema/table/students", projection="dcid", q="last_name==A*", sort="first_name"
    )
    assert [r["id"] for r in ok.json()["record"]] == [101]


def test_unfiltered_count_needs_no_grant_filtered_does(granted, ws: WsClient) -> None:
    assert ws.get("/ws/schema/table/users/count").json() == {"count": 3}
    denied = ws.get("/ws/schema/table/users/count", q="homeschoolid==100")
    assert denied.status_code == 403
    assert denied.json() == no_access("HomeSchoolID", table="Users")
    assert ws.get("/ws/schema/table/students/count", q="last_name==A*").json() == {"count": 1}


def test_table_without_any_grant_is_403(granted, ws: WsClient) -> None:
    response = ws.get("/ws/schema/table/schoolstaff", projection="users_dcid")
    assert response.json() == no_access("Users_DCID", table="SchoolStaff")


def test_grants_can_be_lifted_while_running(granted, ws: WsClient) -> None:
    assert ws.get("/ws/schema/table/students", projection="dob").status_code == 403
    granted.set_plugin_xml(None)
    assert ws.get("/ws/schema/table/students", projection="dob").status_code == 200


def test_plugin_without_oauth_has_no_credentials(sim: PowerSchoolSimulator, http) -> None:
    sim.set_plugin_xml(plugin_xml(("STUDENTS", "DCID", "ViewOnly"), oauth=None))
    assert request_token(http).status_code == 401


def test_v1_gate_follows_access_level(sim: PowerSchoolSimulator, ws: WsClient) -> None:
    sim.set_plugin_xml(plugin_xml(("STUDENTS", "DCID", "ViewOnly")))
    denied = ws.get("/ws/v1/district/student")
    assert denied.status_code == 401
    assert denied.json() == {
        "errorMessage": {"message": "Plugin is missing required accessLevelV1Api READ permission"}
    }
    assert ws.get("/ws/v1/metadata").status_code == 200
    sim.set_plugin_xml(
        plugin_xml(("STUDENTS", "DCID", "ViewOnly"), oauth='<oauth accessLevelV1Api="READ"/>')
    )
    assert ws.get("/ws/v1/district/student").status_code == 404


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        (
            plugin_xml(("STUDENTS", "STUDENT_EMAIL", "ViewOnly")),
            "STUDENTS STUDENT_EMAIL: Invalid Column",
        ),
        (plugin_xml(("USERS", "ID", "ViewOnly")), "USERS ID: Invalid Column"),
        (plugin_xml(("NOPE", "ID", "ViewOnly")), "NOPE: Invalid Table"),
        (plugin_xml(("STUDENTS", "DCID", "Read")), "access must be ViewOnly or FullAccess"),
        (STUDENT_NAMES.replace(' xmlns="http://plugin.powerschool.pearson.com"', ""), "namespace"),
        (STUDENT_NAMES.replace('name="Roster Sync" ', ""), "name"),
        (STUDENT_NAMES.replace("<publisher", "<x").replace("</publisher>", "</x>"), "publisher"),
        ("<plugin", "well-formed"),
    ],
)
def test_install_validation_rejects_bad_plugins(text: str, reason: str) -> None:
    with pytest.raises(PluginRejected, match=reason):
        PowerSchoolSimulator(sample_tables(), plugin_xml=text)
