"""Every request the simulator answered, in order, a tally per path template, and the most
requests it was answering at once (how polite a client is)."""

from __future__ import annotations

import threading
from collections import Counter


class RequestLog:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: list[tuple[str, str, int]] = []
        self._counts: Counter[str] = Counter()
        self._open = 0
        self._peak_open = 0

    def opened(self) -> None:
        """A request arrived; `closed()` follows once it is answered."""
        with self._lock:
            self._open += 1
            self._peak_open = max(self._peak_open, self._open)

    def closed(self) -> None:
        with self._lock:
            self._open -= 1

    def peak_open(self) -> int:
        with self._lock:
            return self._peak_open

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
            self._peak_open = self._open
