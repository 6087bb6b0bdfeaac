"""Bearer auth, the org check and the connection-check endpoint."""

from __future__ import annotations

import httpx
import pytest

from sis_pipeline.sandbox.platform import PlatformServer
from sis_pipeline_tests.sandbox.platform.support import (
    ORG,
    OTHER_ORG,
    TOKEN,
    error_code,
    make_client,
    post_batch,
    results,
    student,
    upsert,
)

ENDPOINTS = [
    ("GET", "/v1/orgs/{org}"),
    ("GET", "/v1/orgs/{org}/users"),
    ("POST", "/v1/orgs/{org}/users:batch"),
]


def _call(client: httpx.Client, method: str, path: str, org: str, **kwargs) -> httpx.Response:
    headers = {"Idempotency-Key": "k"} | kwargs.pop("headers", {})
    body = {"operations": []} if method == "POST" else None
    return client.request(method, path.format(org=org), json=body, headers=headers, **kwargs)


def test_get_org_answers_id_and_name(client: httpx.Client) -> None:
    response = client.get(f"/v1/orgs/{ORG}")
    assert response.status_code == 200
    assert response.json() == {"org_id": ORG, "name": "Riverdale High School"}


@pytest.mark.parametrize(("method", "path"), ENDPOINTS)
@pytest.mark.parametrize(
    "authorization",
    [None, "Bearer wrong-token", f"Basic {TOKEN}", TOKEN, "Bearer", f"Bearer {TOKEN}x"],
)
def test_missing_or_wrong_token_is_401(
    server: PlatformServer, method: str, path: str, authorization: str | None
) -> None:
    with make_client(server.url, token=None) as anonymous:
        if authorization is not None:
            anonymous.headers["Authorization"] = authorization
        response = _call(anonymous, method, path, ORG)
    assert response.status_code == 401
    assert error_code(response) == "unauthorized"


def test_bearer_scheme_is_case_insensitive(server: PlatformServer) -> None:
    with make_client(server.url, token=None) as c:
        c.headers["Authorization"] = f"bearer {TOKEN}"
        assert c.get(f"/v1/orgs/{ORG}").status_code == 200


def test_unknown_path_needs_auth_before_saying_404(server: PlatformServer) -> None:
    with make_client(server.url, token=None) as anonymous:
        assert anonymous.get("/v1/nothing").status_code == 401


@pytest.mark.parametrize(("method", "path"), ENDPOINTS)
@pytest.mark.parametrize("org", ["no-such-org", "a" * 65, "bad%20org", "semi%3Bcolon", "%C3%A9"])
def test_unknown_or_malformed_org_is_404(
    client: httpx.Client, method: str, path: str, org: str
) -> None:
    response = _call(client, method, path, org)
    assert response.status_code == 404
    assert error_code(response) == "org_not_found"


def test_longest_valid_org_id_is_served(server: PlatformServer, client: httpx.Client) -> None:
    org_id = "A-z0._" + "x" * 58
    server.add_org(org_id, "Long")
    assert client.get(f"/v1/orgs/{org_id}").json() == {"org_id": org_id, "name": "Long"}


def test_add_org_refuses_a_malformed_org_id(server: PlatformServer) -> None:
    with pytest.raises(ValueError, match="org_id"):
        server.add_org("has space", "Nope")


def test_unknown_endpoint_is_404_and_wrong_method_is_405(client: httpx.Client) -> None:
    missing = client.get("/v1/schools")
    assert missing.status_code == 404
    assert error_code(missing) == "not_found"
    wrong = client.delete(f"/v1/orgs/{ORG}/users")
    assert wrong.status_code == 405
    assert error_code(wrong) == "method_not_allowed"
    assert wrong.headers["Allow"] == "GET"


def test_orgs_do_not_see_each_others_users(server: PlatformServer, client: httpx.Client) -> None:
    results(post_batch(client, [upsert(student("S1"))], org=ORG))
    assert [u["host_id"] for u in server.users(ORG)] == ["S1"]
    assert server.users(OTHER_ORG) == []
    assert client.get(f"/v1/orgs/{OTHER_ORG}/users").json()["data"] == []


def test_error_bodies_are_json_with_the_documented_shape(server: PlatformServer) -> None:
    with make_client(server.url, token=None) as anonymous:
        response = anonymous.get(f"/v1/orgs/{ORG}")
    assert response.headers["Content-Type"].startswith("application/json")
    assert response.json()["error"]["code"] == "unauthorized"
