"""Renames sent in batches of at most 500 to the reference platform, logged, resumable."""

from __future__ import annotations

import duckdb
import pytest

from sis_pipeline.http.retry import RetryPolicy
from sis_pipeline.sandbox.platform import PlatformFaults, PlatformServer
from sis_pipeline.sink.batch_apply import apply_in_batches
from sis_pipeline.sink.operations import idempotency_key
from sis_pipeline.sources.platform.client import PlatformClient

ORG = "riverdale-high"
TOKEN = "test-platform-token"
QUICK = RetryPolicy(max_attempts=2, base_delay=0.01, max_delay=0.02, max_total_seconds=2)


@pytest.fixture
def server():
    with PlatformServer(TOKEN, {ORG: "Riverdale"}) as srv:
        yield srv


@pytest.fixture
def con(tmp_path):
    connection = duckdb.connect(str(tmp_path / "school.duckdb"))
    connection.execute("CREATE SCHEMA sync")
    yield connection
    connection.close()


def renames(count: int) -> list[dict]:
    return [
        {
            "host_id": f"{n:04d}",
            "action": "rename",
            "operation": {"op": "change_host_id", "host_id": f"{n:04d}", "new_host_id": f"S{n}"},
        }
        for n in range(count)
    ]


def seed(server: PlatformServer, host_ids: list[str]) -> None:
    server.seed_users(
        ORG,
        [
            {"host_id": h, "member_type": "student", "first_name": "A", "last_name": "B",
             "graduation_year": 2030}
            for h in host_ids
        ],
    )  # fmt: skip


def test_batches_of_500_under_plan_keys_and_one_refused_rename_fails_alone(server, con):
    operations = renames(501)
    seed(server, [op["host_id"] for op in operations] + ["S7"])  # S7 is taken
    errors: list[str] = []
    with PlatformClient(server.url, TOKEN, ORG, policy=QUICK) as client:
        outcomes = apply_in_batches(con, client, "run-1", "plan1", operations, errors.append)
    assert server.counters["batch_requests"] == 2 and errors == []
    failed = [(op["host_id"], code) for op, _, code, _ in outcomes if code]
    assert failed == [("0007", "host_id_conflict")]
    users = {u["host_id"] for u in server.users(ORG)}
    assert {"S0", "S500", "0007", "S7"} <= users and "0000" not in users
    keys = con.execute(
        "SELECT batch_key, count(*) FROM sync.sync_log GROUP BY 1 ORDER BY 1"
    ).fetchall()
    assert keys == [
        (idempotency_key("plan1", 0, 0, operations[:500]), 500),
        (idempotency_key("plan1", 0, 1, operations[500:]), 1),
    ]
    assert keys[0][0].startswith("sis-plan1-g0-b00000-") and len(keys[0][0]) <= 128


def test_an_undelivered_plan_is_resumed_under_the_same_keys(server, con):
    operations = renames(3)
    seed(server, [op["host_id"] for op in operations])
    server.faults = PlatformFaults(server_error_every=1)
    errors: list[str] = []
    with PlatformClient(server.url, TOKEN, ORG, policy=QUICK) as client:
        first = apply_in_batches(con, client, "run-1", "plan1", operations, errors.append)
        assert {code for _, _, code, _ in first} == {"undelivered"} and len(errors) == 1
        server.faults = PlatformFaults()
        second = apply_in_batches(con, client, "run-2", "plan1", operations, errors.append)
    assert [status for _, status, _, _ in second] == ["ok"] * 3
    assert con.execute(
        "SELECT DISTINCT batch_key FROM sync.sync_log WHERE run_id = 'run-2'"
    ).fetchall() == [(idempotency_key("plan1", 0, 0, operations),)]
    assert {u["host_id"] for u in server.users(ORG)} == {"S0", "S1", "S2"}


def test_a_key_names_its_body():
    operations = renames(3)
    key = idempotency_key("plan1", 0, 0, operations)
    assert idempotency_key("plan1", 0, 0, renames(3)) == key
    assert idempotency_key("plan1", 0, 0, operations[:2]) != key
    changed = renames(3)
    changed[1]["operation"]["new_host_id"] = "S99"
    assert idempotency_key("plan1", 0, 0, changed) != key
