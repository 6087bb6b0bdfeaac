"""A deliberately plain test caller: fetch a token, then GET /ws paths with it."""

from __future__ import annotations

import httpx

from .sample_district import CLIENT_ID, CLIENT_SECRET

FORM = {"Content-Type": "application/x-www-form-urlencoded;charset=UTF-8"}


def request_token(
    http: httpx.Client,
    path: str = "/oauth/access_token",
    auth: tuple[str, str] = (CLIENT_ID, CLIENT_SECRET),
) -> httpx.Response:
    return http.post(path, auth=auth, content="grant_type=client_credentials", headers=FORM)


class WsClient:
    def __init__(self, http: httpx.Client) -> None:
        self.http = http
        self.token = self.fresh_token()

    def fresh_token(self) -> str:
        response = request_token(self.http)
        assert response.status_code == 200, response.text
        return response.json()["access_token"]

    def get(self, path: str, **params: object) -> httpx.Response:
        headers = {"Authorization": f"Bearer {self.token}", "Accept": "application/json"}
        return self.http.get(path, params=params, headers=headers)

    def rows(self, table: str, **params: object) -> list[dict]:
        response = self.get(f"/ws/schema/table/{table}", **params)
        assert response.status_code == 200, response.text
        return response.json()["record"]
