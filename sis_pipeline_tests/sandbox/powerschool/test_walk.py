"""A client's whole read of the students table, written out by hand: every byte-level shape."""

from __future__ import annotations

import base64
import math

from sis_pipeline.sandbox.powerschool import PowerSchoolSimulator

from .plugin_files import plugin_xml
from .sample_district import CLIENT_ID, CLIENT_SECRET

WALK_PLUGIN = plugin_xml(
    *[
        ("STUDENTS", f, "ViewOnly")
        for f in ("DCID", "STUDENT_NUMBER", "FIRST_NAME", "LAST_NAME", "DOB", "GRADE_LEVEL")
    ]
)
PROJECTION = "dcid,student_number,first_name,last_name,dob,grade_level"


def student(dcid: int, number: int, first: str, last: str, dob: str, grade: str) -> dict:
    values = {
        "dcid": str(dcid),
        "student_number": str(number),
        "first_name": first,
        "last_name": last,
        "dob": dob,
        "grade_level": grade,
    }
    return {"id": dcid, "tables": {"students": values}}


EXPECTED = [
    student(101, 1001, "Ann", "Adams", "2008-01-15", "12"),
    student(102, 1002, "Bob", "Baker", "2010-12-31", ""),
    student(103, 1003, "Cat", "Carter", "", "11"),
    student(104, 1004, "Dan", "Dunn", "2008-07-04", "12"),
    student(105, 1005, "Eve", "Evans", "2009-05-01", "10"),
    student(106, 1006, "Fay", "Fox", "2009-09-09", "10"),
    student(107, 1007, "", "Gray", "2011-02-02", "9"),
]


def test_token_metadata_count_and_every_page(sim: PowerSchoolSimulator, shared_http) -> None:
    sim.set_plugin_xml(WALK_PLUGIN)
    sim.reset_counts()
    http = shared_http
    basic = base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
    token_response = http.post(
        f"{sim.url}/oauth/access_token",
        content="grant_type=client_credentials",
        headers={
            "Authorization": f"Basic {basic}",
            "Content-Type": "application/x-www-form-urlencoded;charset=UTF-8",
            "Accept": "application/json",
        },
    )
    token = token_response.json()
    assert token_response.status_code == 200
    assert token["token_type"] == "Bearer" and token["expires_in"].isdigit()
    headers = {
        "Authorization": f"{token['token_type']} {token['access_token']}",
        "Accept": "application/json",
        "Content-Type": "application/json",
    }

    metadata = http.get(f"{sim.url}/ws/v1/metadata", headers=headers).json()["metadata"]
    page_size = metadata["schema_table_query_max_page_size"]
    assert page_size == 3

    count = http.get(f"{sim.url}/ws/schema/table/students/count", headers=headers).json()
    assert count == {"count": 7}

    records = []
    pages = math.ceil(count["count"] / page_size)
    for page in range(1, pages + 1):
        response = http.get(
            f"{sim.url}/ws/schema/table/students",
            params={"projection": PROJECTION, "page": page, "pagesize": page_size},
            headers=headers,
        )
        assert response.status_code == 200
        body = response.json()
        assert list(body) == ["name", "record"]
        assert body["name"] == "Students"
        assert len(body["record"]) == min(page_size, count["count"] - (page - 1) * page_size)
        records += body["record"]

    assert records == EXPECTED
    assert sim.requests == [
        ("POST", "/oauth/access_token", 200),
        ("GET", "/ws/v1/metadata", 200),
        ("GET", "/ws/schema/table/students/count", 200),
        ("GET", "/ws/schema/table/students", 200),
        ("GET", "/ws/schema/table/students", 200),
        ("GET", "/ws/schema/table/students", 200),
    ]
