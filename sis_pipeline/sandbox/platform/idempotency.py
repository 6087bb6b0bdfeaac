"""Idempotency records: each key, scoped to its org, keeps its 200 answer for 24 hours.

A key is claimed while its first request is processed; a second request with it meanwhile
gets 409. Afterwards the same key with an equal JSON body (compared in canonical form, so
key order and spacing do not matter) replays the stored answer; another body gets 422.
Not thread-safe on its own: the platform state calls it under its lock.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sis_pipeline.sandbox.platform.messages import ApiError

RETENTION = timedelta(hours=24)


def canonical_body(payload: Any) -> str:
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


@dataclass(frozen=True)
class StoredAnswer:
    body: str  # canonical request body
    response: str  # the exact 200 response body sent the first time
    stored_at: datetime


class IdempotencyRecords:
    def __init__(self) -> None:
        self._records: dict[tuple[str, str], StoredAnswer] = {}
        self._in_flight: set[tuple[str, str]] = set()

    def claim(self, org_id: str, key: str, body: str, now: datetime) -> str | None:
        """Claim `key` for a new request (None) or return the stored answer to replay."""
        scoped = (org_id, key)
        if scoped in self._in_flight:
            raise ApiError(
                409, "idempotency_key_in_use", "a request with this key is still being processed"
            )
        stored = self._records.get(scoped)
        if stored is not None and now - stored.stored_at >= RETENTION:
            del self._records[scoped]
            stored = None
        if stored is not None:
            if stored.body != body:
                raise ApiError(
                    422, "idempotency_key_reused", "this key was used with a different body"
                )
            return stored.response
        self._in_flight.add(scoped)
        return None

    def store(self, org_id: str, key: str, body: str, response: str, now: datetime) -> None:
        self._records[(org_id, key)] = StoredAnswer(body, response, now)

    def release(self, org_id: str, key: str) -> None:
        self._in_flight.discard((org_id, key))

    def prune(self, now: datetime) -> None:
        expired = [k for k, v in self._records.items() if now - v.stored_at >= RETENTION]
        for scoped in expired:
            del self._records[scoped]

    def to_json(self) -> list[dict[str, str]]:
        return [
            {
                "org_id": org_id,
                "key": key,
                "body": stored.body,
                "response": stored.response,
                "stored_at": stored.stored_at.isoformat(),
            }
            for (org_id, key), stored in sorted(self._records.items())
        ]

    def load_json(self, records: list[dict[str, str]]) -> None:
        for record in records:
            stored_at = datetime.fromisoformat(record["stored_at"])
            answer = StoredAnswer(record["body"], record["response"], stored_at)
            self._records[(record["org_id"], record["key"])] = answer
