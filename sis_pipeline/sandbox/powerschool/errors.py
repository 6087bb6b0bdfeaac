"""The error answers PowerSchool gives, as an exception the request handler turns into JSON.

Bodies follow the ones recorded from a real server (section 7 of the API notes) where a
recording exists; where none does, the body is a small `{"message": ...}` and says so.
"""

from __future__ import annotations

from typing import Any


class ApiError(Exception):
    def __init__(self, status: int, body: dict[str, Any], headers: dict[str, str] | None = None):
        super().__init__(f"{status} {body}")
        self.status = status
        self.body = body
        self.headers = headers or {}


def bad_request(message: str) -> ApiError:
    return ApiError(400, {"message": message})


def not_found() -> ApiError:
    return ApiError(404, {"message": "Resource not found"})


def view_not_allowed() -> ApiError:
    return ApiError(405, {"message": "GET, POST and PUT are not allowed on table"})


def method_not_allowed(allowed: str) -> ApiError:
    return ApiError(405, {"message": f"Method not allowed; use {allowed}"}, {"Allow": allowed})


def invalid_projection_field(given: str, table_name: str) -> ApiError:
    return bad_request(
        f"Invalid field specified: {given} is not valid column for table: {table_name}"
    )


def invalid_query_field(given: str) -> ApiError:
    return bad_request(f"Invalid field {given}")


def no_access(canonical_fields: list[str], table_name: str) -> ApiError:
    errors = [{"code": "NoAccess", "field": f, "resource": table_name} for f in canonical_fields]
    return ApiError(
        403, {"message": "At least one column lacks sufficient permission", "errors": errors}
    )


def invalid_token(expired: bool) -> ApiError:
    description = "The access token has expired" if expired else "The access token is invalid"
    challenge = (
        f'Bearer error="invalid_token",realm="PowerSchool",error_description="{description}"'
    )
    # No recording of this body exists; the header is the part clients key on.
    return ApiError(
        401, {"error": "invalid_token", "message": description}, {"WWW-Authenticate": challenge}
    )


def missing_token() -> ApiError:
    return ApiError(
        401,
        {"error": "invalid_request", "message": "A bearer access token is required"},
        {"WWW-Authenticate": 'Bearer realm="PowerSchool"'},
    )
