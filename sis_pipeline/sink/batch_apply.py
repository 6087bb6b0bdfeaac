"""Send a plan's operations to the platform in batches and log every outcome.

Batches of at most 500 go under idempotency keys derived from the plan's id, the attempt
(see `sync_log.py`) and the batch's own body, so a resumed attempt replays what the platform
already applied instead of applying it twice. Once a batch cannot be delivered, the later
ones are not sent: they are logged as failed and the attempt stays open for the next run.

Batches are applied strictly one after another, in order. Around that one line of requests
two helpers keep our own work off it: the next batches are read, serialised and keyed ahead
(`pipeline.py`), and outcomes reach the log from another thread.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Protocol

import duckdb

from sis_pipeline.http.retry import ApiError
from sis_pipeline.sink.operations import Operation, prepared_batches
from sis_pipeline.sink.pipeline import LogWriter, read_ahead
from sis_pipeline.sink.sync_log import begin_attempt, finish_attempt
from sis_pipeline.state.durable_store import LOCAL_STATE, LocalState


class BatchSender(Protocol):
    """What the sink needs of the platform client (`PlatformClient.apply_batch_body`)."""

    def apply_batch_body(self, body: bytes, count: int, idempotency_key: str) -> list[dict]: ...


Outcome = tuple[Operation, str, str | None, str | None]  # (operation, status, code, message)


def apply_in_batches(
    con: duckdb.DuckDBPyConnection,
    client: BatchSender,
    run_id: str,
    plan_id: str,
    operations: Iterable[Operation],
    report_error: Callable[[str], None],
    durable: LocalState = LOCAL_STATE,
) -> list[Outcome]:
    """The attempt reaches `durable` before the first batch is sent, each log write with it.

    `operations` may read `con` (on a cursor of its own): it is read on another thread, and
    `con` itself is not used until every batch is done.
    """
    generation = begin_attempt(con, plan_id, run_id)
    durable.attempt_saved(con, plan_id, generation)
    outcomes: list[Outcome] = []
    delivered = True
    with (
        _collector_paused(),
        LogWriter(con, run_id, plan_id, durable) as log,
        read_ahead(prepared_batches(plan_id, generation, operations)) as ready,
    ):
        for batch in ready:
            if not delivered:
                batch_outcomes = [
                    (op, "failed", "not_sent", "an earlier batch failed") for op in batch.slims
                ]
            else:
                try:
                    results = client.apply_batch_body(batch.body, len(batch.slims), batch.key)
                except ApiError as error:
                    delivered = False
                    report_error(str(error))
                    batch_outcomes = [
                        (op, "failed", "undelivered", str(error)) for op in batch.slims
                    ]
                else:
                    batch_outcomes = [
                        (op, "ok", None, None) if r["status"] == "ok" else _refused(op, r)
                        for op, r in zip(batch.slims, results, strict=True)
                    ]
            log.add(batch.key, batch_outcomes)
            outcomes += batch_outcomes
    if delivered:
        finish_attempt(con, plan_id, generation)
        durable.attempt_saved(con, plan_id, generation)
    return outcomes


def _refused(op: Operation, result: dict) -> Outcome:
    error = result.get("error") if isinstance(result.get("error"), dict) else {}
    return (op, "failed", str(error.get("code", "unknown")), str(error.get("message", ""))[:300])


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cycle collector off while the batches go. Each batch makes thousands of
    objects (operations, the answer's results, outcomes), none of them in cycles; with a
    large heap (Dagster's) the collector's passes over it took 40% of the sink's CPU time.
    Reference counting still frees everything; the collector resumes after."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
