"""Fault knobs of the sandbox platform: rate limits, server errors, lost answers, slowness.

Counting is deterministic: each `*_every` knob fires on exactly every Kth request it sees,
counted from the moment the knob was last assigned, so a test can switch a knob on in the
middle of a run and know which request it hits. Knobs are checked in this order, and each
counts only the requests the earlier ones let through:

1. `rate_limit_every`: every request -> 429 with `Retry-After`.
2. `server_error_every`: -> `server_error_status`.
3. `not_json_every`: -> 200 with a body that is not JSON, nothing done.
4. `fail_after_apply_every`: counts batch requests that were applied afresh (replays and
   rejected requests do not count): the batch is applied and its idempotency record stored,
   then the answer is a 503, or with `fail_after_apply_mode="drop"` the connection is closed
   without any answer. A retry with the same key and body then gets the stored results.

`latency_seconds` delays every request that reaches its endpoint; a batch is delayed while
it holds its idempotency key, so a second request with that key meanwhile gets a 409.

`refuse_host_ids` maps a host ID to an operation error code (`invalid_field`, `not_found`,
`host_id_conflict`): every operation on that host ID fails with that code and changes
nothing, as when the platform holds a rule or a record the client does not know about.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any, Literal

COUNTED_KNOBS = (
    "rate_limit_every",
    "server_error_every",
    "not_json_every",
    "fail_after_apply_every",
)
FAIL_AFTER_APPLY_MODES = ("error", "drop")

# One lock for every instance's tick counts: ticking is tiny and rarely contended.
_TICK_LOCK = threading.Lock()


@dataclass
class PlatformFaults:
    rate_limit_every: int | None = None
    retry_after_seconds: int = 1
    server_error_every: int | None = None
    server_error_status: int = 503
    fail_after_apply_every: int | None = None
    fail_after_apply_mode: Literal["error", "drop"] = "error"
    latency_seconds: float = 0.0
    not_json_every: int | None = None
    refuse_host_ids: dict[str, str] = field(default_factory=dict)

    def __setattr__(self, name: str, value: Any) -> None:
        if name in COUNTED_KNOBS and value is not None and not _is_positive_int(value):
            raise ValueError(f"{name} must be None or a whole number >= 1")
        if name == "fail_after_apply_mode" and value not in FAIL_AFTER_APPLY_MODES:
            raise ValueError(f"fail_after_apply_mode must be one of {FAIL_AFTER_APPLY_MODES}")
        if name == "server_error_status" and not 500 <= value <= 599:
            raise ValueError("server_error_status must be a 5xx status")
        with _TICK_LOCK:
            super().__setattr__(name, value)
            if name in COUNTED_KNOBS:
                self._tick_counts()[name] = 0

    def fires(self, knob: str) -> bool:
        """Count one request against `knob`; true when this is its Kth since it was set."""
        with _TICK_LOCK:
            every = getattr(self, knob)
            if every is None:
                return False
            counts = self._tick_counts()
            counts[knob] = counts.get(knob, 0) + 1
            return counts[knob] % every == 0

    def _tick_counts(self) -> dict[str, int]:
        # Kept out of the dataclass fields so repr, eq and replace() see only the knobs.
        return self.__dict__.setdefault("_ticks", {})


def _is_positive_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 1
