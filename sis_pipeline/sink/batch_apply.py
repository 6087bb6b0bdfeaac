"""Send a plan's operations to the platform in batches and log every outcome.

Batches of at most 500 go under idempotency keys derived from the plan's id, the attempt
(see `sync_log.py`) and the batch's own body, so a resumed attempt replays what the platform
already applied instead of applying it twice. Once a batch cannot be delivered, the later
ones are not sent: they are logged as failed and the attempt stays open for the next run.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable

import duckdb

from sis_pipeline.http.retry import ApiError
from sis_pipeline.sink.operations import Operation, batch_body, batches, idempotency_key, slim
from sis_pipeline.sink.sync_log import begin_attempt, finish_attempt, log_outcomes
from sis_pipeline.sources.platform.client import PlatformClient
from sis_pipeline.state.durable_store import LOCAL_STATE, LocalState

Outcome = tuple[Operation, str, str | None, str | None]  # (operation, status, code, message)
LOG_EVERY_SECONDS = 1.0


def apply_in_batches(
    con: duckdb.DuckDBPyConnection,
    client: PlatformClient,
    run_id: str,
    plan_id: str,
    operations: Iterable[Operation],
    report_error: Callable[[str], None],
    durable: LocalState = LOCAL_STATE,
) -> list[Outcome]:
    """The attempt reaches `durable` before the first batch is sent, each log write with it."""
    generation = begin_attempt(con, plan_id, run_id)
    durable.attempt_saved(con, plan_id, generation)
    outcomes: list[Outcome] = []
    delivered = True
    # Outcomes go into the log about once a second, not once a batch: a DuckDB commit costs
    # about as much as the platform takes to apply a batch. Nothing decides from the log, and
    # an attempt cut short stays open: its next run replays the batches and logs them then.
    unlogged: list[tuple] = []
    unlogged_keys: list[str] = []
    logged_at = time.monotonic()
    try:
        for index, batch in enumerate(batches(operations)):
            key = idempotency_key(plan_id, generation, index, batch)
            if not delivered:
                batch_outcomes = [
                    (slim(op), "failed", "not_sent", "an earlier batch failed") for op in batch
                ]
            else:
                try:
                    results = client.apply_batch(batch_body(batch), key)
                except ApiError as error:
                    delivered = False
                    report_error(str(error))
                    batch_outcomes = [
                        (slim(op), "failed", "undelivered", str(error)) for op in batch
                    ]
                else:
                    batch_outcomes = [
                        _outcome(slim(op), r) for op, r in zip(batch, results, strict=True)
                    ]
            unlogged += [
                (run_id, plan_id, key, op["host_id"], op["action"], *rest)
                for op, *rest in batch_outcomes
            ]
            unlogged_keys.append(key)
            outcomes += batch_outcomes
            if time.monotonic() - logged_at >= LOG_EVERY_SECONDS:
                log_outcomes(con, unlogged)
                durable.batches_logged(con, run_id, unlogged_keys)
                unlogged, unlogged_keys, logged_at = [], [], time.monotonic()
    finally:
        log_outcomes(con, unlogged)
        durable.batches_logged(con, run_id, unlogged_keys)
    if delivered:
        finish_attempt(con, plan_id, generation)
        durable.attempt_saved(con, plan_id, generation)
    return outcomes


def _outcome(op: Operation, result: dict) -> Outcome:
    if result.get("status") == "ok":
        return (op, "ok", None, None)
    error = result.get("error") if isinstance(result.get("error"), dict) else {}
    return (op, "failed", str(error.get("code", "unknown")), str(error.get("message", ""))[:300])
