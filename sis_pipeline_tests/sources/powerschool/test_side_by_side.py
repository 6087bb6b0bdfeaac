"""Tables read side by side, within the school's request limit, on a slow PowerSchool."""

from __future__ import annotations

import time
from functools import partial

import pytest

from sis_pipeline.http.retry import RetryPolicy
from sis_pipeline.sandbox.district import generate_district
from sis_pipeline.sandbox.powerschool import PowerSchoolFaults, PowerSchoolSimulator
from sis_pipeline.sources.powerschool.client import PowerSchoolClient, PowerSchoolError
from sis_pipeline.sources.powerschool.settings import PRIMARY_KEYS
from sis_pipeline.sources.powerschool.side_by_side import SideBySide

LATENCY = 0.05
FAST = RetryPolicy(max_attempts=2, base_delay=0.01, max_delay=0.02, max_total_seconds=5)
TABLES = {
    "students": ["dcid", "last_name"],
    "person": ["id", "lastname"],
    "studentcontactassoc": ["studentcontactassocid", "personid"],
    "emailaddress": ["emailaddressid", "emailaddress"],
}


@pytest.fixture(scope="module")
def district():
    return generate_district(120, seed=3)


def read_all(client: PowerSchoolClient, batch_rows: int = 1000) -> dict[str, list]:
    readers = SideBySide(
        {
            table: partial(client.iter_batches, table, columns, PRIMARY_KEYS[table])
            for table, columns in TABLES.items()
        },
        batch_rows=batch_rows,
    )
    # dlt's way: one item from one table, then one from the next.
    iterators = {table: readers.batches(table) for table in TABLES}
    rows: dict[str, list] = {table: [] for table in TABLES}
    while iterators:
        for table in list(iterators):
            batch = next(iterators[table], None)
            if batch is None:
                del iterators[table]
            else:
                rows[table] += batch.column(0).to_pylist()
    return rows


@pytest.mark.parametrize("concurrency", [1, 3])
def test_tables_side_by_side_take_pages_x_latency_over_the_limit(district, concurrency):
    tables = {name: district.tables[name] for name in TABLES}
    faults = PowerSchoolFaults(latency_seconds=LATENCY)
    with PowerSchoolSimulator(tables, max_page_size=10, faults=faults) as sim:
        client = PowerSchoolClient(
            sim.url, "sandbox-client", "sandbox-secret", concurrency=concurrency
        )
        with client:
            began = time.perf_counter()
            rows = read_all(client)
            spent = time.perf_counter() - began
        requests = sum(sim.request_counts.values())
        peak = sim.peak_concurrent_requests
        order = [path.rsplit("/", 1)[-1] for _, path, _ in sim.requests]
    for table, frame in tables.items():
        assert rows[table] == [str(k) for k in sorted(frame[PRIMARY_KEYS[table]])]
    assert peak == concurrency
    # Side by side: every table's pages start before any table's pages end.
    firsts = [order.index(table) for table in TABLES]
    lasts = [len(order) - 1 - order[::-1].index(table) for table in TABLES]
    assert max(firsts) < min(lasts)
    # Token and metadata come first, one at a time; everything else overlaps up to the
    # limit (with a second's slack for a busy machine).
    assert spent <= 1.3 * (requests - 2) * LATENCY / concurrency + 2 * LATENCY + 1.0


def test_one_table_failing_fails_its_reader_and_stops_the_others(district):
    tables = {name: district.tables[name] for name in TABLES}
    faults = PowerSchoolFaults(fail_table_pages={"person": {2}})
    with PowerSchoolSimulator(tables, max_page_size=10, faults=faults) as sim:
        client = PowerSchoolClient(sim.url, "sandbox-client", "sandbox-secret", policy=FAST)
        with client, pytest.raises(PowerSchoolError, match="person"):
            read_all(client, batch_rows=10_000)
