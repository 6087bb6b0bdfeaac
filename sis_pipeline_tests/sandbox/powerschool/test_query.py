"""The `q` filter (PowerSchool's FIQL subset) and /count."""

from __future__ import annotations

import pytest

from .ws_client import WsClient


def ids(ws: WsClient, q: str, table: str = "students") -> list[int]:
    found = []
    for page in range(1, 10):
        rows = ws.rows(table, projection="*", q=q, page=page)
        if not rows:
            return found
        found += [r["id"] for r in rows]
    raise AssertionError("too many pages")


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("enroll_status==0", [101, 102, 105, 107]),
        ("enroll_status!=0", [103, 104, 106]),
        ("grade_level=gt=10", [101, 103, 104]),
        ("grade_level=ge=10", [101, 103, 104, 105, 106]),
        ("grade_level=lt=10", [107]),
        ("grade_level=le=10", [105, 106, 107]),
        ("enroll_status==-1", [106]),
        ("schoolid==100;enroll_status==0", [101, 102, 105]),
        ("SchoolID==200;Grade_Level=ge=11;enroll_status!=2", [104]),
        ("students.gender==F", [101, 103, 105, 106]),
        ("gender==f", []),
        ("last_name==Ba*", [102]),
        ("last_name==*er", [102, 103]),
        ("last_name!=*e*", [101, 104, 105, 106, 107]),  # case-sensitive: "Evans" has no "e"
        ("last_name=gt=E", [105, 106, 107]),
        ("dob=ge=2009-05-01", [102, 105, 106, 107]),
        ("dob=lt=2009-01-01", [101, 104]),
        ("dob==2008-07-04", [104]),
        ("dcid=ge=103.5", [104, 105, 106, 107]),
    ],
)
def test_operators(ws: WsClient, q: str, expected: list[int]) -> None:
    assert ids(ws, q) == expected


def test_null_never_satisfies_a_comparison(ws: WsClient) -> None:
    # Bob's grade is null: neither equal nor unequal to anything.
    assert 102 not in ids(ws, "grade_level!=10")
    assert 102 not in ids(ws, "grade_level=lt=100")


def test_nul_character_matches_null(ws: WsClient) -> None:
    assert ids(ws, "first_name==\u0000") == [107]
    assert ids(ws, "dob==\u0000") == [103]
    assert 107 not in ids(ws, "first_name!=\u0000")


@pytest.mark.parametrize(
    ("q", "message"),
    [
        (
            "grade_level==ten",
            "Invalid number 'ten' passed for comparison to number field Grade_Level",
        ),
        (
            "dcid=ge=2020-01-01",
            "Invalid number '2020-01-01' passed for comparison to number field DCID",
        ),
        ("nosuchcolumn==1", "Invalid field nosuchcolumn"),
        ("schools.name==x", "Invalid field schools.name"),
    ],
)
def test_recorded_400_messages(ws: WsClient, q: str, message: str) -> None:
    response = ws.get("/ws/schema/table/students", projection="dcid", q=q)
    assert response.status_code == 400
    assert response.json() == {"message": message}


@pytest.mark.parametrize(
    "q",
    [
        "dob=gt=01/02/2009",
        "dob==2009-02-30",
        "grade_level==1*",
        "enroll_status==0,enroll_status==-1",
        "enroll_status==(0,-1)",
        "(enroll_status==0)",
        "enroll_status=in=0",
        "enroll_status==",
        "enroll_status==0;",
        "last_name=lt=\u0000",
    ],
)
def test_unsupported_or_malformed_queries_are_400(ws: WsClient, q: str) -> None:
    response = ws.get("/ws/schema/table/students", projection="dcid", q=q)
    assert response.status_code == 400
    assert response.json()["message"]


def test_count_with_and_without_q(ws: WsClient) -> None:
    assert ws.get("/ws/schema/table/students/count").json() == {"count": 7}
    assert ws.get("/ws/schema/table/Students/count", q="enroll_status==0").json() == {"count": 4}
    assert ws.get("/ws/schema/table/users/count", q="email_addr==*@school.test").json() == {
        "count": 2
    }
    bad = ws.get("/ws/schema/table/students/count", q="grade_level==x")
    assert bad.status_code == 400


def test_count_and_pages_agree_for_a_filtered_walk(ws: WsClient) -> None:
    q = "enroll_status==0;grade_level=ge=10"
    count = ws.get("/ws/schema/table/students/count", q=q).json()["count"]
    assert len(ids(ws, q)) == count == 2
