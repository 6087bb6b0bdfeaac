"""Failure knobs for the PowerSchool simulator, and the counter that fires them.

Every knob is off by default. The "every Kth" knobs count authenticated `/ws` requests
(requests that passed the bearer check), numbered 1, 2, 3... since the simulator started,
since `reset_counts()`, or since a new `PowerSchoolFaults` was assigned to `sim.faults`:
request number n fails when n % K == 0. One counter serves every knob, so a test reads
the schedule straight off the request numbers.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field


@dataclass
class PowerSchoolFaults:
    """Mutable while the simulator runs; each request reads the knobs afresh."""

    # A token dies after this many authenticated /ws requests; the next token request
    # then issues a new token.
    token_expires_after_requests: int | None = None
    # Every Kth /ws request answers 429 with a Retry-After header.
    rate_limit_every: int | None = None
    retry_after_seconds: int = 1
    # Every Kth /ws request answers server_error_status with {"message": ...}.
    server_error_every: int | None = None
    server_error_status: int = 500
    # Sleep before answering any request (token endpoint included).
    latency_seconds: float = 0.0
    # These tables answer zero records and count 0.
    empty_tables: set[str] = field(default_factory=set)
    # table -> page numbers that always answer 500 (rows endpoint only).
    fail_table_pages: dict[str, set[int]] = field(default_factory=dict)
    # table -> number added to what /count reports: the table "moved" between count and pages.
    count_skew: dict[str, int] = field(default_factory=dict)
    # While set, the token endpoint answers this status (an outage of the auth service).
    token_error_status: int | None = None
    # Without `sort`, these tables answer in reverse key order: the default order is not
    # documented, so a client must not rely on it.
    reversed_without_sort: set[str] = field(default_factory=set)
    # These tables answer page 1 whatever `page` asks (a server that ignores paging).
    page_ignored: set[str] = field(default_factory=set)
    # table -> pages after the first start this many rows early, as offset paging does when
    # rows were inserted ahead mid-read: the last rows of page 1 are served again on page 2.
    rows_inserted_ahead: dict[str, int] = field(default_factory=dict)
    # /ws/v1/metadata leaves out schema_table_query_max_page_size (clients then guess a page
    # size, and larger `pagesize` values are clamped to the real maximum without a word).
    metadata_without_page_size: bool = False
    # While set, the token endpoint hands out this value as the access token.
    access_token: str | None = None


class FaultCounter:
    """Numbers authenticated /ws requests; thread-safe so "every Kth" stays exact."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._count = 0

    def next(self) -> int:
        with self._lock:
            self._count += 1
            return self._count

    def reset(self) -> None:
        with self._lock:
            self._count = 0


def fires(every: int | None, number: int) -> bool:
    return bool(every) and every > 0 and number % every == 0
