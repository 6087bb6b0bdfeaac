"""The endpoints of the API document and the path each one answers on."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sis_pipeline.sandbox.platform.batch_endpoint import post_batch
from sis_pipeline.sandbox.platform.endpoints import get_org, list_users
from sis_pipeline.sandbox.platform.messages import ApiRequest, ApiResponse

if TYPE_CHECKING:
    from sis_pipeline.sandbox.platform.api import PlatformApi


@dataclass(frozen=True)
class Route:
    method: str
    pattern: re.Pattern[str]
    name: str  # path template, also the per-endpoint counter key after the method
    endpoint: Callable[[PlatformApi, str, ApiRequest], ApiResponse]


ROUTES = (
    Route("GET", re.compile(r"/v1/orgs/([^/]*)"), "/v1/orgs/{org}", get_org),
    Route("GET", re.compile(r"/v1/orgs/([^/]*)/users"), "/v1/orgs/{org}/users", list_users),
    Route(
        "POST",
        re.compile(r"/v1/orgs/([^/]*)/users:batch"),
        "/v1/orgs/{org}/users:batch",
        post_batch,
    ),
)
