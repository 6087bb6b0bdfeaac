"""`GET /v1/orgs/{org_id}/users`: code point order, cursors, status filters, limits."""

from __future__ import annotations

import base64

import httpx
import pytest

from sis_pipeline.sandbox.platform import PlatformServer
from sis_pipeline_tests.sandbox.platform.support import (
    ORG,
    error_code,
    post_batch,
    results,
    student,
    teacher,
    upsert,
)

USERS_PATH = f"/v1/orgs/{ORG}/users"
# Code point order differs from case-insensitive and from natural order here.
HOST_IDS = ["a1", "B2", "-y", "Z9", "_x", ".z", "0", "S10", "S9", "b0"]
INACTIVE = {"B2", "_x", "S9"}


@pytest.fixture
def seeded(server: PlatformServer) -> PlatformServer:
    server.seed_users(
        ORG,
        [
            student(h, status="inactive" if h in INACTIVE else "active", email=f"{h}@example.org")
            for h in HOST_IDS
        ],
    )
    return server


def _all_pages(client: httpx.Client, **params: object) -> tuple[list[str], int]:
    host_ids: list[str] = []
    pages = 0
    cursor = None
    while True:
        query = dict(params) | ({} if cursor is None else {"cursor": cursor})
        response = client.get(USERS_PATH, params=query)
        assert response.status_code == 200, response.text
        body = response.json()
        assert set(body) == {"data", "next_cursor"}
        host_ids += [user["host_id"] for user in body["data"]]
        pages += 1
        cursor = body["next_cursor"]
        if cursor is None:
            return host_ids, pages


@pytest.mark.usefixtures("seeded")
@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (None, sorted(HOST_IDS)),
        ("all", sorted(HOST_IDS)),
        ("active", sorted(set(HOST_IDS) - INACTIVE)),
        ("inactive", sorted(INACTIVE)),
    ],
)
def test_paging_with_cursors_walks_every_matching_user_once_in_code_point_order(
    client: httpx.Client, status: str | None, expected: list[str]
) -> None:
    params = {"limit": 3} | ({} if status is None else {"status": status})
    host_ids, pages = _all_pages(client, **params)
    assert host_ids == expected
    assert pages == -(-len(expected) // 3)


@pytest.mark.usefixtures("seeded")
def test_code_point_order_puts_punctuation_and_capitals_first(client: httpx.Client) -> None:
    data = client.get(USERS_PATH).json()["data"]
    assert [u["host_id"] for u in data] == [
        "-y", ".z", "0", "B2", "S10", "S9", "Z9", "_x", "a1", "b0",
    ]  # fmt: skip


@pytest.mark.usefixtures("seeded")
def test_last_page_has_null_cursor_even_when_exactly_full(client: httpx.Client) -> None:
    body = client.get(USERS_PATH, params={"limit": len(HOST_IDS)}).json()
    assert len(body["data"]) == len(HOST_IDS)
    assert body["next_cursor"] is None


def test_empty_org_lists_nothing(client: httpx.Client) -> None:
    assert client.get(USERS_PATH).json() == {"data": [], "next_cursor": None}


def test_users_carry_every_field_of_the_user_object(
    seeded: PlatformServer, client: httpx.Client
) -> None:
    first = client.get(USERS_PATH, params={"limit": 1}).json()["data"][0]
    assert first == {
        "host_id": "-y",
        "member_type": "student",
        "first_name": "Ada",
        "last_name": "Lovelace",
        "email": "-y@example.org",
        "graduation_year": 2027,
        "date_of_birth": None,
        "gender": None,
        "grade_level": None,
        "status": "active",
        "updated_at": "2026-11-20T10:00:00Z",
    }


def test_default_limit_is_100_and_1000_is_allowed(
    server: PlatformServer, client: httpx.Client
) -> None:
    server.seed_users(ORG, [teacher(f"T{n:04d}") for n in range(1001)])
    default = client.get(USERS_PATH).json()
    assert len(default["data"]) == 100
    assert default["next_cursor"] is not None
    biggest = client.get(USERS_PATH, params={"limit": 1000}).json()
    assert len(biggest["data"]) == 1000
    rest = client.get(USERS_PATH, params={"limit": 1000, "cursor": biggest["next_cursor"]})
    assert [u["host_id"] for u in rest.json()["data"]] == ["T1000"]


@pytest.mark.usefixtures("seeded")
def test_cursor_keeps_its_place_when_users_change_between_pages(client: httpx.Client) -> None:
    first = client.get(USERS_PATH, params={"limit": 2}).json()
    assert [u["host_id"] for u in first["data"]] == ["-y", ".z"]
    results(post_batch(client, [upsert(student("-a")), upsert(student("1"))]))
    second = client.get(USERS_PATH, params={"limit": 2, "cursor": first["next_cursor"]})
    assert [u["host_id"] for u in second.json()["data"]] == ["0", "1"]


@pytest.mark.parametrize(
    "params",
    [
        {"limit": 0},
        {"limit": 1001},
        {"limit": -1},
        {"limit": "ten"},
        {"limit": ""},
        {"limit": "1.5"},
        {"status": "deleted"},
        {"status": ""},
        {"status": "ACTIVE"},
        {"cursor": "!!!"},
        {"cursor": ""},
        {"cursor": base64.urlsafe_b64encode(b"bad id!").decode().rstrip("=")},
        {"cursor": base64.urlsafe_b64encode(b"S1").decode()},  # padded: not one we made
        {"cursor": "%%%"},
    ],
)
def test_bad_query_is_400_invalid_request(client: httpx.Client, params: dict) -> None:
    response = client.get(USERS_PATH, params=params)
    assert response.status_code == 400
    assert error_code(response) == "invalid_request"


def test_repeated_query_parameter_is_400(client: httpx.Client) -> None:
    response = client.get(f"{USERS_PATH}?limit=5&limit=6")
    assert response.status_code == 400
    assert error_code(response) == "invalid_request"


@pytest.mark.usefixtures("seeded")
def test_cursor_from_another_filter_still_continues_by_host_id(client: httpx.Client) -> None:
    first = client.get(USERS_PATH, params={"limit": 4, "status": "inactive"}).json()
    assert [u["host_id"] for u in first["data"]] == ["B2", "S9", "_x"]
    assert first["next_cursor"] is None
    page = client.get(USERS_PATH, params={"limit": 2, "status": "active"}).json()
    more = client.get(USERS_PATH, params={"cursor": page["next_cursor"], "status": "all"})
    assert [u["host_id"] for u in more.json()["data"]][:2] == ["0", "B2"]
