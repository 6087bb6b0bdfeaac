"""GET /ws/schema/table/{table}: projection, value rendering, order, sort and paging."""

from __future__ import annotations

import pytest

from sis_pipeline.sandbox.powerschool_schema import TABLES

from .ws_client import WsClient

ALL_DCIDS = [101, 102, 103, 104, 105, 106, 107]


def test_response_shape_and_projection_case_insensitivity(ws: WsClient) -> None:
    body = ws.get("/ws/schema/table/STUDENTS", projection="DCID,First_Name,grade_LEVEL").json()
    assert body["name"] == "Students"
    first = body["record"][0]
    assert first == {
        "id": 101,
        "tables": {"students": {"dcid": "101", "first_name": "Ann", "grade_level": "12"}},
    }


@pytest.mark.parametrize("projection", ["*", "students.*", "Students.*"])
def test_star_projects_every_schema_column(ws: WsClient, projection: str) -> None:
    record = ws.rows("students", projection=projection)[0]
    assert list(record["tables"]["students"]) == list(TABLES["students"].columns)


def test_every_value_is_a_string_and_null_is_empty(ws: WsClient) -> None:
    rows = ws.rows("students", projection="*", pagesize=3, page=1)
    rows += ws.rows("students", projection="*", pagesize=3, page=2)
    values = [v for r in rows for v in r["tables"]["students"].values()]
    assert values and all(isinstance(v, str) for v in values)
    bob = next(r["tables"]["students"] for r in rows if r["id"] == 102)
    assert bob["grade_level"] == ""  # pandas NA
    assert bob["sched_yearofgraduation"] == ""  # float NaN
    assert bob["middle_name"] == ""  # column absent from the frame
    assert bob["dob"] == "2010-12-31"
    ann = next(r["tables"]["students"] for r in rows if r["id"] == 101)
    assert ann["sched_yearofgraduation"] == "2025"  # a float column, rendered without ".0"
    assert ann["enroll_status"] == "0"


def test_record_id_is_the_primary_key_as_a_json_number(ws: WsClient) -> None:
    rows = ws.rows("schoolstaff", projection="users_dcid")
    assert [r["id"] for r in rows] == [21, 22, 23]
    assert rows[0]["tables"] == {"schoolstaff": {"users_dcid": "11"}}


def test_default_order_is_ascending_primary_key_across_pages(ws: WsClient) -> None:
    seen = []
    for page in (1, 2, 3):
        seen += [r["id"] for r in ws.rows("students", projection="dcid", page=page)]
    assert seen == ALL_DCIDS
    assert ws.rows("students", projection="dcid", page=4) == []


def test_default_page_size_is_the_maximum_and_larger_is_clamped(ws: WsClient) -> None:
    assert len(ws.rows("students", projection="dcid")) == 3
    assert len(ws.rows("students", projection="dcid", pagesize=1000)) == 3
    assert len(ws.rows("students", projection="dcid", pagesize=0)) == 3
    assert [r["id"] for r in ws.rows("students", projection="dcid", pagesize=2, page=2)] == [
        103,
        104,
    ]


@pytest.mark.parametrize("params", [{"page": 0}, {"page": "x"}, {"pagesize": -1}])
def test_bad_paging_is_400(ws: WsClient, params: dict) -> None:
    response = ws.get("/ws/schema/table/students", projection="dcid", **params)
    assert response.status_code == 400
    assert "message" in response.json()


def test_sort_by_date_column_ascending_with_null_last(ws: WsClient) -> None:
    ascending = []
    for page in (1, 2, 3):
        ascending += [
            r["id"] for r in ws.rows("students", projection="dcid", sort="DOB", page=page)
        ]
    assert ascending == [101, 104, 105, 106, 102, 107, 103]


def test_sort_by_text_column_descending(ws: WsClient) -> None:
    top = ws.rows("students", projection="last_name", sort="last_name", sortdescending="true")
    assert [r["tables"]["students"]["last_name"] for r in top] == ["Gray", "Fox", "Evans"]


def test_sort_ties_keep_key_order_and_nulls_go_last_ascending(ws: WsClient) -> None:
    rows = []
    for page in (1, 2, 3):
        rows += ws.rows("students", projection="grade_level", sort="grade_level", page=page)
    grades = [(r["id"], r["tables"]["students"]["grade_level"]) for r in rows]
    assert grades == [
        (107, "9"),
        (105, "10"),
        (106, "10"),
        (103, "11"),
        (101, "12"),
        (104, "12"),
        (102, ""),
    ]
    first = ws.rows("students", projection="grade_level", sort="grade_level", sortdescending="TRUE")
    assert [r["id"] for r in first] == [102, 101, 104]


def test_sortdescending_alone_reverses_key_order(ws: WsClient) -> None:
    rows = ws.rows("students", projection="dcid", sortdescending="true")
    assert [r["id"] for r in rows] == [107, 106, 105]


def test_bad_sort_parameters_are_400(ws: WsClient) -> None:
    unknown = ws.get("/ws/schema/table/students", projection="dcid", sort="nope")
    assert unknown.status_code == 400
    assert unknown.json() == {"message": "Invalid field nope"}
    flag = ws.get("/ws/schema/table/students", projection="dcid", sortdescending="yes")
    assert flag.status_code == 400


def test_missing_projection_is_400(ws: WsClient) -> None:
    response = ws.get("/ws/schema/table/students")
    assert response.status_code == 400
    assert "projection" in response.json()["message"]


def test_single_row_by_primary_key(ws: WsClient, sim) -> None:
    response = ws.get("/ws/schema/table/students/103", projection="dcid,last_name,dob")
    assert response.json() == {
        "id": 103,
        "name": "Students",
        "tables": {"students": {"dcid": "103", "last_name": "Carter", "dob": ""}},
    }
    assert ws.get("/ws/schema/table/students/999", projection="dcid").status_code == 404
    assert sim.request_counts["/ws/schema/table/students/{id}"] == 2


def test_date_and_timestamp_inputs_render_as_given_text(ws: WsClient) -> None:
    rows = ws.rows("emailaddress", projection="emailaddressid,whencreated")
    assert [r["tables"]["emailaddress"]["whencreated"] for r in rows] == [
        "2024-08-01",
        "2024-09-02",
    ]


def test_tables_not_given_serve_zero_rows(ws: WsClient) -> None:
    assert ws.rows("person", projection="id") == []
    assert ws.get("/ws/schema/table/person/count").json() == {"count": 0}
