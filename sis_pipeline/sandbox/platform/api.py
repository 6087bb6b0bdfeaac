"""The API's front door: counting, injected faults, bearer auth, routing and the org check.

Order for every request: count it, then the fault knobs, then auth (so nothing about the
platform is told to a stranger, not even which paths exist), then the route, then the org.
"""

from __future__ import annotations

import hmac
import time
from collections.abc import Callable
from http import HTTPStatus
from urllib.parse import unquote

from sis_pipeline.sandbox.platform.counters import Counters
from sis_pipeline.sandbox.platform.faults import PlatformFaults
from sis_pipeline.sandbox.platform.messages import ApiError, ApiRequest, ApiResponse
from sis_pipeline.sandbox.platform.routes import ROUTES, Route
from sis_pipeline.sandbox.platform.state import PlatformState
from sis_pipeline.sandbox.platform.user_rules import is_valid_id

NOT_JSON_BODY = b"<html><body><h1>Bad gateway</h1></body></html>"


class PlatformApi:
    """Answers one `ApiRequest`; shared by every connection thread of the server."""

    def __init__(
        self,
        token: str,
        state: PlatformState,
        counters: Counters,
        faults: Callable[[], PlatformFaults],
    ) -> None:
        self._token = token.encode("utf-8")
        self.state = state
        self.counters = counters
        self._faults = faults

    @property
    def faults(self) -> PlatformFaults:
        return self._faults()

    def handle(self, request: ApiRequest) -> ApiResponse:
        route, raw_org = self._match(request.path)
        self._count(request.method, route)
        fault = self._injected_fault()
        if fault is not None:
            return fault
        try:
            self._authorize(request)
            if route is None:
                raise ApiError(404, "not_found", "no such endpoint")
            if route.method != request.method:
                raise ApiError(
                    405, "method_not_allowed", "method not allowed", {"Allow": route.method}
                )
            org_id = unquote(raw_org)
            if not is_valid_id(org_id) or self.state.org_name(org_id) is None:
                raise ApiError(404, "org_not_found", "no such organisation")
            return route.endpoint(self, org_id, request)
        except ApiError as error:
            return error.to_response()

    def delay(self) -> None:
        latency = self.faults.latency_seconds
        if latency > 0:
            time.sleep(latency)

    def _match(self, path: str) -> tuple[Route | None, str]:
        for route in ROUTES:
            found = route.pattern.fullmatch(path)
            if found is not None:
                return route, found.group(1)
        return None, ""

    def _count(self, method: str, route: Route | None) -> None:
        self.counters.add("requests")
        self.counters.add(f"{method} {route.name if route else '(no such endpoint)'}")
        if route is not None and route.name.endswith(":batch") and method == "POST":
            self.counters.add("batch_requests")

    def _injected_fault(self) -> ApiResponse | None:
        faults = self.faults
        if faults.fires("rate_limit_every"):
            retry_after = str(faults.retry_after_seconds)
            error = ApiError(429, "rate_limited", "too many requests", {"Retry-After": retry_after})
            return error.to_response()
        if faults.fires("server_error_every"):
            status = HTTPStatus(faults.server_error_status)
            code = status.phrase.lower().replace(" ", "_")
            return ApiError(status.value, code, "injected server error").to_response()
        if faults.fires("not_json_every"):
            return ApiResponse(200, NOT_JSON_BODY, content_type="text/html")
        return None

    def _authorize(self, request: ApiRequest) -> None:
        values = request.header_values("authorization")
        scheme, _, token = values[0].partition(" ") if len(values) == 1 else ("", "", "")
        given = token.strip().encode("utf-8")
        if scheme.lower() != "bearer" or not hmac.compare_digest(given, self._token):
            raise ApiError(401, "unauthorized", "missing or wrong bearer token")
