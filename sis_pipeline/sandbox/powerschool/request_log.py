"""Every request the simulator answered, in order, and a tally per path template."""

from __future__ import annotations

import threading
from collections import Counter


class RequestLog:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: list[tuple[str, str, int]] = []
        self._counts: Counter[str] = Counter()

    def record(self, method: str, path: str, template: str, status: int) -> None:
        with self._lock:
            self._entries.append((method, path, status))
            self._counts[template] += 1

    def entries(self) -> list[tuple[str, str, int]]:
        with self._lock:
            return list(self._entries)

    def counts(self) -> dict[str, int]:
        with self._lock:
            return dict(self._counts)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._counts.clear()
