"""The state file: written after every change, and a restarted server carries on from it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sis_pipeline.sandbox.platform import PlatformServer
from sis_pipeline_tests.sandbox.platform.support import (
    ORG,
    TOKEN,
    ManualClock,
    deactivate,
    make_client,
    post_batch,
    results,
    student,
    upsert,
)

BATCH = [upsert(student("S1")), upsert(student("S2")), deactivate("S2")]


def _server(state_file: Path, clock: ManualClock) -> PlatformServer:
    return PlatformServer(token=TOKEN, orgs={ORG: "Riverdale"}, state_file=state_file, clock=clock)


def test_state_file_follows_every_change(tmp_path: Path, clock: ManualClock) -> None:
    state_file = tmp_path / "platform-state.json"
    with _server(state_file, clock) as srv, make_client(srv.url) as client:
        saved = json.loads(state_file.read_text(encoding="utf-8"))
        assert saved["orgs"][ORG] == {"name": "Riverdale", "users": []}
        results(post_batch(client, BATCH))
        saved = json.loads(state_file.read_text(encoding="utf-8"))
        assert saved["orgs"][ORG]["users"] == srv.users(ORG)
        assert [r["key"] for r in saved["idempotency"]] == ["key-1"]
        srv.seed_users(ORG, [student("S0")])
        saved = json.loads(state_file.read_text(encoding="utf-8"))
        assert [u["host_id"] for u in saved["orgs"][ORG]["users"]] == ["S0", "S1", "S2"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["platform-state.json"]


def test_restarted_server_keeps_users_and_idempotency_records(
    tmp_path: Path, clock: ManualClock
) -> None:
    state_file = tmp_path / "state" / "platform.json"
    with _server(state_file, clock) as first, make_client(first.url) as client:
        original = post_batch(client, BATCH)
        users = first.users(ORG)
    clock.advance(hours=2)
    with _server(state_file, clock) as second, make_client(second.url) as client:
        assert second.users(ORG) == users
        listed = client.get(f"/v1/orgs/{ORG}/users").json()["data"]
        assert listed == users
        replay = post_batch(client, BATCH)
        assert replay.content == original.content
        assert post_batch(client, [upsert(student("S9"))]).status_code == 422
        assert second.counters["replayed"] == 1
        assert second.counters["created"] == 0
        assert second.users(ORG) == users


def test_expired_records_are_dropped_from_the_file(tmp_path: Path, clock: ManualClock) -> None:
    state_file = tmp_path / "platform.json"
    with _server(state_file, clock) as srv, make_client(srv.url) as client:
        results(post_batch(client, BATCH, key="old"))
        clock.advance(hours=25)
        results(post_batch(client, [], key="new"))
    saved = json.loads(state_file.read_text(encoding="utf-8"))
    assert [r["key"] for r in saved["idempotency"]] == ["new"]


def test_constructor_orgs_join_the_saved_ones(tmp_path: Path, clock: ManualClock) -> None:
    state_file = tmp_path / "platform.json"
    with _server(state_file, clock) as srv:
        srv.seed_users(ORG, [student("S1")])
    again = PlatformServer(token=TOKEN, orgs={"second-org": "Second"}, state_file=state_file)
    assert [u["host_id"] for u in again.users(ORG)] == ["S1"]
    assert again.users("second-org") == []


def test_a_file_that_is_not_a_state_file_is_refused(tmp_path: Path) -> None:
    state_file = tmp_path / "platform.json"
    state_file.write_text('{"something": "else"}', encoding="utf-8")
    with pytest.raises(ValueError, match="platform.json"):
        PlatformServer(state_file=state_file)
