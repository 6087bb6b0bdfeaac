"""The sink's two helper threads: batches prepared ahead, outcomes logged behind.

Reading operations from DuckDB, building and hashing a batch, and writing the log cost
about as much as the platform takes to apply the batches: done between requests they
doubled the sink's time. Here they run while a request is in flight. The requests
themselves stay on the caller's thread, one at a time, in order.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import duckdb

from sis_pipeline.sink.operations import PreparedBatch
from sis_pipeline.sink.sync_log import log_outcomes
from sis_pipeline.state.durable_store import LocalState

AHEAD = 2  # batches ready beyond the one being sent
LOG_EVERY_SECONDS = 1.0
_END = object()


class _Failed:
    def __init__(self, error: BaseException) -> None:
        self.error = error


@contextmanager
def read_ahead(batches: Iterator[PreparedBatch]) -> Iterator[Iterator[PreparedBatch]]:
    """`batches`, produced on another thread up to AHEAD ahead of the consumer, in order.

    An error while producing is raised to the consumer where the failed batch would be.
    Leaving the block early stops the producer and closes `batches` (its cursor with it).
    """
    ready: queue.Queue = queue.Queue(AHEAD)
    stop = threading.Event()

    def put(item: Any) -> bool:
        while not stop.is_set():
            try:
                ready.put(item, timeout=0.05)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        try:
            for batch in batches:
                if not put(batch):
                    return
            put(_END)
        except BaseException as error:  # handed to the consumer, which raises it
            put(_Failed(error))
        finally:
            close = getattr(batches, "close", None)
            if close is not None:
                close()

    def consume() -> Iterator[PreparedBatch]:
        while (item := ready.get()) is not _END:
            if isinstance(item, _Failed):
                raise item.error
            yield item

    producer = threading.Thread(target=produce, name="sink-read-ahead", daemon=True)
    producer.start()
    try:
        yield consume()
    finally:
        stop.set()
        producer.join()


class LogWriter:
    """Outcomes into `sync.sync_log` (and `durable`) about once a second, on a thread with its
    own cursor. A DuckDB commit costs about as much as the platform takes to apply a batch.
    Nothing decides from the log while the batches go, and an attempt cut short stays open:
    its next run replays the batches and logs them then. Leaving the block writes the rest
    and raises what the thread met.
    """

    def __init__(
        self, con: duckdb.DuckDBPyConnection, run_id: str, plan_id: str, durable: LocalState
    ) -> None:
        self._cursor = con.cursor()
        self._run_id = run_id
        self._plan_id = plan_id
        self._durable = durable
        self._pending: queue.Queue = queue.Queue()
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="sink-log", daemon=True)

    def __enter__(self) -> LogWriter:
        self._thread.start()
        return self

    def add(self, key: str, outcomes: list[tuple]) -> None:
        if self._error is not None:
            raise self._error
        self._pending.put((key, outcomes))

    def __exit__(self, *exc: object) -> None:
        self._pending.put(_END)
        self._thread.join()
        self._cursor.close()
        if self._error is not None and exc[0] is None:
            raise self._error

    def _run(self) -> None:
        unlogged: list[tuple[str, list[tuple]]] = []
        logged_at = time.monotonic()
        ended = False
        while not ended:
            wait = max(0.0, logged_at + LOG_EVERY_SECONDS - time.monotonic())
            try:
                item = self._pending.get(timeout=wait)
            except queue.Empty:
                item = None
            if item is _END:
                ended = True
            elif item is not None:
                unlogged.append(item)
                if time.monotonic() - logged_at < LOG_EVERY_SECONDS:
                    continue
            if self._error is None:
                try:
                    self._write(unlogged)
                except BaseException as error:  # raised on the caller's thread
                    self._error = error
            unlogged, logged_at = [], time.monotonic()

    def _write(self, unlogged: list[tuple[str, list[tuple]]]) -> None:
        if not unlogged:
            return
        rows = [
            (self._run_id, self._plan_id, key, op["host_id"], op["action"], *rest)
            for key, outcomes in unlogged
            for op, *rest in outcomes
        ]
        log_outcomes(self._cursor, rows)
        self._durable.batches_logged(self._cursor, self._run_id, [key for key, _ in unlogged])
