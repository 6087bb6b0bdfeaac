"""Requests and responses as the API layer sees them, and the error every endpoint can raise.

The HTTP handler turns the wire into an `ApiRequest` and an `ApiResponse` back into bytes,
so the API logic never touches sockets.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

JSON_TYPE = "application/json"


@dataclass(frozen=True)
class ApiRequest:
    method: str
    path: str  # raw, still percent-encoded, without the query string
    query: dict[str, list[str]]
    headers: dict[str, list[str]]  # lower-case header name -> every value sent
    body: bytes = b""

    def header_values(self, name: str) -> list[str]:
        return self.headers.get(name.lower(), [])


@dataclass
class ApiResponse:
    status: int
    body: bytes = b""
    content_type: str = JSON_TYPE
    headers: dict[str, str] = field(default_factory=dict)
    drop: bool = False  # close the connection without answering at all


def dump_json(payload: Any) -> str:
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"))


def json_response(status: int, payload: Any) -> ApiResponse:
    return ApiResponse(status, dump_json(payload).encode("utf-8"))


def error_payload(code: str, message: str) -> dict[str, dict[str, str]]:
    return {"error": {"code": code, "message": message}}


class ApiError(Exception):
    """A whole-request error: status, machine code and human message, as the API document says."""

    def __init__(
        self, status: int, code: str, message: str, headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers or {}

    def to_response(self) -> ApiResponse:
        response = json_response(self.status, error_payload(self.code, self.message))
        response.headers.update(self.headers)
        return response


def invalid_request(message: str) -> ApiError:
    return ApiError(400, "invalid_request", message)
