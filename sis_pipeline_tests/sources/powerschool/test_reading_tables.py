"""Reading a school's tables starts at once, before anyone asks for a batch."""

from __future__ import annotations

import time

from sis_pipeline.sandbox.district import generate_district
from sis_pipeline.sandbox.powerschool import PowerSchoolSimulator
from sis_pipeline.sources.powerschool import reading_tables
from sis_pipeline.sources.powerschool.client import PowerSchoolClient
from sis_pipeline.sources.powerschool.settings import PRIMARY_KEYS

PLAN = {"students": ["dcid", "last_name"], "person": ["id", "lastname"]}


def tables_requested(sim: PowerSchoolSimulator) -> set[str]:
    return {path.rsplit("/", 1)[-1] for _, path, _ in sim.requests}


def test_pages_are_requested_before_any_batch_is_asked_for():
    tables = {name: generate_district(200, seed=5).tables[name] for name in PLAN}
    with (
        PowerSchoolSimulator(tables, max_page_size=10) as sim,
        PowerSchoolClient(sim.url, "sandbox-client", "sandbox-secret") as client,
        reading_tables(client, PLAN) as readers,
    ):
        deadline = time.monotonic() + 10
        while not set(PLAN) <= tables_requested(sim) and time.monotonic() < deadline:
            time.sleep(0.02)
        # Nobody has asked for a batch yet, and both tables' pages are being read.
        assert set(PLAN) <= tables_requested(sim)
        for table in PLAN:
            keys = [key for batch in readers.batches(table) for key in batch.column(0).to_pylist()]
            assert keys == [str(k) for k in sorted(tables[table][PRIMARY_KEYS[table]])]
