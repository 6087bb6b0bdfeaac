"""Request and effect counters the tests and the demo read to see what a client really did."""

from __future__ import annotations

import threading

COUNTER_NAMES = (
    "requests",
    "batch_requests",
    "operations_applied",
    "created",
    "updated",
    "deactivated",
    "renamed",
    "replayed",
    "write_requests",
)


class Counters:
    """Thread-safe named counts; per-endpoint counts are keyed like "GET /v1/orgs/{org}"."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._counts: dict[str, int] = dict.fromkeys(COUNTER_NAMES, 0)

    def add(self, name: str, amount: int = 1) -> None:
        with self._lock:
            self._counts[name] = self._counts.get(name, 0) + amount

    def snapshot(self) -> dict[str, int]:
        with self._lock:
            return dict(self._counts)

    def reset(self) -> None:
        with self._lock:
            self._counts = dict.fromkeys(COUNTER_NAMES, 0)
