"""The sink's two helper threads: batches prepared ahead, outcomes logged behind.

Reading operations from DuckDB, building and hashing a batch, and writing the log were,
done between requests, most of the sink's time beyond the platform's (a profile at 100,000
operations). Here they run while a request is in flight. The requests
themselves stay on the caller's thread, one at a time, in order.
"""

from __future__ import annotations

import collections
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import duckdb

from sis_pipeline.sink.operations import PreparedBatch
from sis_pipeline.sink.sync_log import log_outcomes
from sis_pipeline.state.durable_store import LocalState

# Up to READY batches are kept ready; the producer refills once LOW are left. Waking it
# for each batch would hand the GIL back and forth twice a request, and on a busy machine
# each hand-over waits for the scheduler.
READY = 8
LOW = 2
LOG_EVERY_SECONDS = 1.0
_END = object()


class _Failed:
    def __init__(self, error: BaseException) -> None:
        self.error = error


@contextmanager
def read_ahead(batches: Iterator[PreparedBatch]) -> Iterator[Iterator[PreparedBatch]]:
    """`batches`, produced on another thread up to READY ahead of the consumer, in order.

    An error while producing is raised to the consumer where the failed batch would be.
    Leaving the block early stops the producer and closes `batches` (its cursor with it).
    """
    ready: collections.deque = collections.deque()
    changed = threading.Condition()
    stopped = False

    def put(item: Any) -> bool:
        with changed:
            if len(ready) >= READY:
                while len(ready) > LOW and not stopped:
                    changed.wait()
            ready.append(item)
            changed.notify()
            return not stopped

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
        while True:
            with changed:
                while not ready:
                    changed.wait()
                item = ready.popleft()
                if len(ready) <= LOW:
                    changed.notify()
            if item is _END:
                return
            if isinstance(item, _Failed):
                raise item.error
            yield item

    producer = threading.Thread(target=produce, name="sink-read-ahead", daemon=True)
    producer.start()
    try:
        yield consume()
    finally:
        with changed:
            stopped = True
            changed.notify()
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
        self._pending: list[tuple[str, list[tuple]]] = []
        self._lock = threading.Lock()
        self._ended = threading.Event()
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="sink-log", daemon=True)

    def __enter__(self) -> LogWriter:
        self._thread.start()
        return self

    def add(self, key: str, outcomes: list[tuple]) -> None:
        """Queue a batch's outcomes; the thread is not woken for it (it wakes once a second)."""
        if self._error is not None:
            raise self._error
        with self._lock:
            self._pending.append((key, outcomes))

    def __exit__(self, *exc: object) -> None:
        self._ended.set()
        self._thread.join()
        self._cursor.close()
        if self._error is not None and exc[0] is None:
            raise self._error

    def _run(self) -> None:
        ended = False
        while not ended:
            ended = self._ended.wait(LOG_EVERY_SECONDS)
            with self._lock:
                unlogged, self._pending = self._pending, []
            if self._error is None:
                try:
                    self._write(unlogged)
                except BaseException as error:  # raised on the caller's thread
                    self._error = error

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
