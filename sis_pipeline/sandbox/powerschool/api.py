"""Route one request to its answer: token endpoint, bearer check, faults, then the resource.

For `/ws` paths the order is: bearer token (401), the fault schedule (429 / 5xx; the
request counts toward it only once it has authenticated), the Accept header, then the
resource. PowerSchool answers XML unless the caller asks for JSON, and this simulator
speaks JSON only, so a `/ws` request without `Accept: application/json` gets 406.
"""

from __future__ import annotations

import traceback
from email.message import Message
from urllib.parse import parse_qs

from .errors import ApiError, method_not_allowed, missing_token, not_found
from .faults import fires
from .oauth import token_reply
from .state import Reply, SimulatorState
from .table_api import table_reply

TOKEN_PATH = "/oauth/access_token"
_TABLE_PREFIX = "/ws/schema/table/"
_V1_DENIED = {
    "errorMessage": {"message": "Plugin is missing required accessLevelV1Api READ permission"}
}


def path_template(path: str) -> str:
    """The path as counted in `request_counts`: table names lower-case, row ids as {id}."""
    path = path.rstrip("/") or "/"
    if path.startswith(_TABLE_PREFIX):
        parts = path[len(_TABLE_PREFIX) :].split("/")
        table = parts[0].lower()
        if len(parts) == 1:
            return f"{_TABLE_PREFIX}{table}"
        if len(parts) == 2:
            tail = "count" if parts[1] == "count" else "{id}"
            return f"{_TABLE_PREFIX}{table}/{tail}"
    return path


def handle(
    state: SimulatorState, method: str, path: str, query: str, headers: Message, body: bytes
) -> Reply:
    try:
        return _dispatch(state, method, path.rstrip("/") or "/", query, headers, body)
    except ApiError as error:
        return Reply(error.status, error.body, error.headers)
    except Exception:  # a simulator bug must surface in tests, not hang the client
        state.internal_errors.append(traceback.format_exc())
        return Reply(500, {"message": "Internal simulator error"})


def _dispatch(
    state: SimulatorState, method: str, path: str, query: str, headers: Message, body: bytes
) -> Reply:
    if path == TOKEN_PATH:
        if method != "POST":
            raise method_not_allowed("POST")
        return token_reply(state, headers, body)
    if not path.startswith("/ws/"):
        raise not_found()
    _authenticate(state, headers.get("Authorization", ""))
    _scheduled_faults(state)
    if "application/json" not in headers.get("Accept", "").lower():
        raise ApiError(406, {"message": "Send Accept: application/json; only JSON is served"})
    params = {name: values[0] for name, values in parse_qs(query, keep_blank_values=True).items()}
    if path.startswith(_TABLE_PREFIX):
        parts = path[len(_TABLE_PREFIX) :].split("/")
        if len(parts) > 2:
            raise not_found()
        return table_reply(state, method, parts[0], parts[1] if len(parts) == 2 else None, params)
    if path == "/ws/v1/metadata":
        if method != "GET":
            raise method_not_allowed("GET")
        return Reply(200, _metadata(state))
    if path.startswith("/ws/v1/"):
        # The v1 resources are not simulated; the access gate in front of them is.
        if state.grants.v1_access == "NONE":
            return Reply(401, _V1_DENIED)
        raise not_found()
    if path.startswith("/ws/schema/query/"):
        raise ApiError(404, {"message": f"Query {path.rsplit('/', 1)[-1]} not found"})
    raise not_found()


def _authenticate(state: SimulatorState, authorization: str) -> None:
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise missing_token()
    state.tokens.use(token.strip(), state.faults.token_expires_after_requests)


def _scheduled_faults(state: SimulatorState) -> None:
    faults = state.faults
    number = state.counter.next()
    if fires(faults.rate_limit_every, number):
        seconds = faults.retry_after_seconds
        raise ApiError(
            429,
            {"message": f"Too many requests; wait {seconds} seconds before retrying"},
            {"Retry-After": str(seconds)},
        )
    if fires(faults.server_error_every, number):
        raise ApiError(faults.server_error_status, {"message": "Injected server error"})


def _metadata(state: SimulatorState) -> dict:
    metadata = _full_metadata(state)
    if state.faults.metadata_without_page_size:
        del metadata["metadata"]["schema_table_query_max_page_size"]
    return metadata


def _full_metadata(state: SimulatorState) -> dict:
    return {
        "metadata": {
            "plugin_id": 4242,
            "powerschool_version": "25.2.0.0",
            "schema_table_query_max_page_size": state.max_page_size,
            "student_max_page_size": 100,
            "staff_max_page_size": 100,
            "school_max_page_size": 100,
            "course_max_page_size": 100,
            "section_max_page_size": 100,
            "section_enrollment_max_page_size": 100,
            "term_max_page_size": 100,
            "state": "OR",
            "district_timezone": "America/Los_Angeles",
            "district_uuid": "7b0b3b5e-9a51-4a5e-8f0e-2f4c7a1d2c11",
        }
    }
