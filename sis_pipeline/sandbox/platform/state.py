"""Everything the platform remembers: orgs, their users and the idempotency records.

One lock guards all of it; every change is saved to the state file (when there is one)
before the lock is let go, so the file always matches what clients have been told.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sis_pipeline.sandbox.platform.idempotency import IdempotencyRecords
from sis_pipeline.sandbox.platform.messages import dump_json
from sis_pipeline.sandbox.platform.operations import BatchOutcome, apply_operations
from sis_pipeline.sandbox.platform.paging import select_page
from sis_pipeline.sandbox.platform.persistence import read_state, write_state
from sis_pipeline.sandbox.platform.timestamps import Clock, as_utc, rfc3339
from sis_pipeline.sandbox.platform.user_rules import (
    STATUSES,
    WRITABLE_FIELDS,
    check_id,
    check_user,
)


@dataclass
class Org:
    name: str
    users: dict[str, dict[str, Any]] = field(default_factory=dict)
    _ordered: list[str] | None = None

    def ordered_ids(self) -> list[str]:
        """Host IDs in code point order, sorted once per change rather than once per page."""
        if self._ordered is None:
            self._ordered = sorted(self.users)
        return self._ordered

    def changed(self) -> None:
        self._ordered = None


class PlatformState:
    def __init__(self, clock: Clock, state_file: Path | None = None) -> None:
        self._lock = threading.RLock()
        self._clock = clock
        self._state_file = state_file
        self._orgs: dict[str, Org] = {}
        self._idempotency = IdempotencyRecords()
        saved = read_state(state_file) if state_file is not None else None
        if saved is not None:
            self._load(saved)

    def add_org(self, org_id: str, name: str) -> None:
        check_id("org_id", org_id)
        with self._lock:
            if org_id in self._orgs:
                self._orgs[org_id].name = name
            else:
                self._orgs[org_id] = Org(name)
            self._save()

    def seed_users(self, org_id: str, users: list[dict[str, Any]]) -> None:
        with self._lock:
            org = self._org(org_id)
            stamp = rfc3339(self._clock())
            records = [_seed_record(user, stamp) for user in users]
            for record in records:
                org.users[record["host_id"]] = record
            org.changed()
            self._save()

    def users(self, org_id: str) -> list[dict[str, Any]]:
        with self._lock:
            org = self._org(org_id)
            return [dict(org.users[host_id]) for host_id in sorted(org.users)]

    def org_name(self, org_id: str) -> str | None:
        with self._lock:
            org = self._orgs.get(org_id)
            return None if org is None else org.name

    def list_users(
        self, org_id: str, status: str, after: str | None, limit: int
    ) -> tuple[list[dict[str, Any]], str | None]:
        with self._lock:
            org = self._org(org_id)
            return select_page(org.users, org.ordered_ids(), status, after, limit)

    def claim_key(self, org_id: str, key: str, body: str) -> str | None:
        """None when the key is now ours to apply; else the stored answer to replay."""
        with self._lock:
            return self._idempotency.claim(org_id, key, body, as_utc(self._clock()))

    def release_key(self, org_id: str, key: str) -> None:
        with self._lock:
            self._idempotency.release(org_id, key)

    def apply_batch(
        self,
        org_id: str,
        key: str,
        body: str,
        operations: list[dict[str, Any]],
        refuse_host_ids: Mapping[str, str] | None = None,
    ) -> tuple[str, BatchOutcome]:
        """Apply a claimed batch, store its answer under the key and let the key go."""
        with self._lock:
            now = as_utc(self._clock())
            org = self._org(org_id)
            outcome = apply_operations(org.users, operations, rfc3339(now), refuse_host_ids)
            org.changed()
            response = dump_json({"results": outcome.results})
            self._idempotency.store(org_id, key, body, response, now)
            self._idempotency.release(org_id, key)
            self._save()
            return response, outcome

    def _org(self, org_id: str) -> Org:
        org = self._orgs.get(org_id)
        if org is None:
            raise KeyError(f"unknown org {org_id}")
        return org

    def _save(self) -> None:
        if self._state_file is None:
            return
        self._idempotency.prune(as_utc(self._clock()))
        orgs = {
            org_id: {"name": org.name, "users": [org.users[h] for h in sorted(org.users)]}
            for org_id, org in sorted(self._orgs.items())
        }
        write_state(self._state_file, {"orgs": orgs, "idempotency": self._idempotency.to_json()})

    def _load(self, saved: dict[str, Any]) -> None:
        for org_id, org in saved["orgs"].items():
            users = {user["host_id"]: dict(user) for user in org["users"]}
            self._orgs[org_id] = Org(org["name"], users)
        self._idempotency.load_json(saved["idempotency"])


def _seed_record(user: dict[str, Any], stamp: str) -> dict[str, Any]:
    writable = {k: v for k, v in user.items() if k not in ("status", "updated_at")}
    status = user.get("status", "active")
    if status not in STATUSES:
        raise ValueError("status: must be active or inactive")
    check_user(writable)
    record = {name: writable.get(name) for name in WRITABLE_FIELDS}
    return {**record, "status": status, "updated_at": stamp}
