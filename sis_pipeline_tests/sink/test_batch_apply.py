"""Renames sent in batches of at most 500 to the reference platform, logged, resumable."""

from __future__ import annotations

import duckdb
import orjson
import pytest

from sis_pipeline.http.retry import RetryPolicy
from sis_pipeline.sandbox.platform import PlatformFaults, PlatformServer
from sis_pipeline.sink.batch_apply import apply_in_batches
from sis_pipeline.sink.operations import idempotency_key, prepared_batches
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


MIXED = [
    {
        "host_id": "é1",
        "action": "create",
        "operation": {
            "op": "upsert",
            "user": {
                "host_id": "é1",
                "member_type": "student",
                "first_name": 'Zoë "Q"\\ \n',
                "last_name": "李",
                "email": None,
                "graduation_year": 2030,
            },
        },
    },
    {"host_id": "P7", "action": "deactivate", "operation": {"op": "deactivate", "host_id": "P7"}},
]


def test_keys_are_the_ones_earlier_versions_made_and_bodies_are_the_operations():
    # Pinned: a resumed attempt replays under the keys an earlier version of the sink sent.
    assert idempotency_key("plan1", 0, 0, renames(3)) == "sis-plan1-g0-b00000-0efa9a2b7e693e40"
    assert idempotency_key("c0ffee", 3, 12, MIXED) == "sis-c0ffee-g3-b00012-c5e7292d726280a8"
    operations = renames(7) + MIXED
    prepared = list(prepared_batches("c0ffee", 3, operations, size=4))
    assert [b.index for b in prepared] == [0, 1, 2]
    for batch, start in zip(prepared, (0, 4, 8), strict=True):
        chunk = operations[start : start + 4]
        assert batch.key == idempotency_key("c0ffee", 3, batch.index, chunk)
        assert orjson.loads(batch.body) == {"operations": [op["operation"] for op in chunk]}
        assert batch.slims == [{"host_id": op["host_id"], "action": op["action"]} for op in chunk]


def test_batches_are_applied_in_order_each_after_the_one_before(server, con):
    # A chain across three batches: 0000 -> S0 (batch 0), S0 -> T0 (batch 1), T0 -> U0
    # (batch 2). Any batch applied before the one ahead of it fails on a missing host ID.
    operations = renames(1001)
    operations[500]["operation"] = {"op": "change_host_id", "host_id": "S0", "new_host_id": "T0"}
    operations[1000]["operation"] = {"op": "change_host_id", "host_id": "T0", "new_host_id": "U0"}
    seed(server, [f"{n:04d}" for n in range(1001) if n not in (500, 1000)])
    with PlatformClient(server.url, TOKEN, ORG, policy=QUICK) as client:
        outcomes = apply_in_batches(con, client, "run-1", "plan1", operations, print)
    assert [op["host_id"] for op, *_ in outcomes] == [op["host_id"] for op in operations]
    assert [code for _, _, code, _ in outcomes if code] == []
    users = {u["host_id"] for u in server.users(ORG)}
    assert "U0" in users and not users & {"0000", "S0", "T0"}
    logged = con.execute("SELECT count(*), count(DISTINCT batch_key) FROM sync.sync_log")
    assert logged.fetchall() == [(1001, 3)]


def test_no_batch_is_sent_after_one_that_was_not_delivered(server, con):
    operations = renames(1001)
    seed(server, [op["host_id"] for op in operations])
    server.faults = PlatformFaults(server_error_every=1)
    with PlatformClient(server.url, TOKEN, ORG, policy=QUICK) as client:
        outcomes = apply_in_batches(con, client, "run-1", "plan1", operations, lambda _: None)
    codes = [code for _, _, code, _ in outcomes]
    assert codes == ["undelivered"] * 500 + ["not_sent"] * 501
    assert server.counters["batch_requests"] == QUICK.max_attempts  # batch 0's tries only
    assert con.execute("SELECT finished FROM sync.sink_attempts").fetchall() == [(False,)]


def test_a_plan_cut_short_while_read_stays_open_and_resumes_under_the_same_keys(server, con):
    operations = renames(1001)
    seed(server, [op["host_id"] for op in operations])

    def cut_short():
        yield from operations[:700]
        raise RuntimeError("the database went away")

    with PlatformClient(server.url, TOKEN, ORG, policy=QUICK) as client:
        with pytest.raises(RuntimeError, match="went away"):
            apply_in_batches(con, client, "run-1", "plan1", cut_short(), print)
        assert con.execute("SELECT finished FROM sync.sink_attempts").fetchall() == [(False,)]
        first = con.execute("SELECT DISTINCT batch_key FROM sync.sync_log").fetchall()
        assert first == [(idempotency_key("plan1", 0, 0, operations[:500]),)]
        outcomes = apply_in_batches(con, client, "run-2", "plan1", operations, print)
    assert [status for _, status, _, _ in outcomes] == ["ok"] * 1001
    assert server.counters["operations_applied"] == 1001  # batch 0 replayed, not re-applied
    assert con.execute("SELECT finished FROM sync.sink_attempts").fetchall() == [(True,)]
