"""Read several PowerSchool tables at once, each into its own short queue of Arrow batches.

dlt takes one item at a time from one resource after another; a table whose generator is
not being asked would sit idle and a slow server's latency would add up table by table.
Here every table has a reader thread from `start` (or the first item asked), all sharing
the client's request limit; each resource drains its own queue. Pages are joined into
batches of about `BATCH_ROWS` so dlt handles thousands of rows per item, not a hundred.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterator

import pyarrow as pa

# Rows per batch handed to dlt; a few batches per table are in memory at once.
BATCH_ROWS = 50_000
# Batches a table may read ahead of dlt.
QUEUE_BATCHES = 2
_DONE = object()

PageReader = Callable[[], Iterator[pa.Table]]


class SideBySide:
    """Start every table's reader together; `batches(name)` yields that table's batches."""

    def __init__(self, readers: dict[str, PageReader], batch_rows: int = BATCH_ROWS):
        self._readers = readers
        self._batch_rows = batch_rows
        self._queues = {name: queue.Queue(QUEUE_BATCHES) for name in readers}
        self._stop = threading.Event()
        self._start_lock = threading.Lock()
        self._threads: list[threading.Thread] = []

    def batches(self, name: str) -> Iterator[pa.Table]:
        self.start()
        source = self._queues[name]
        complete = False
        try:
            while True:
                try:
                    item = source.get(timeout=0.2)
                except queue.Empty:
                    if self._stop.is_set():
                        raise RuntimeError(
                            f"{name}: reading stopped after another table failed"
                        ) from None
                    continue
                if item is _DONE:
                    complete = True
                    return
                if isinstance(item, BaseException):
                    raise item
                yield item
        finally:
            # A table that failed or was abandoned fails the load: the other readers stop too.
            if not complete:
                self.stop()

    def stop(self) -> None:
        self._stop.set()

    def start(self) -> None:
        """Start every reader (once); `batches` starts them too if nobody has."""
        with self._start_lock:
            if self._threads:
                return
            for name, reader in self._readers.items():
                thread = threading.Thread(
                    target=self._read,
                    args=(name, reader),
                    name=f"powerschool-{name}",
                    daemon=True,
                )
                self._threads.append(thread)
                thread.start()

    def _read(self, name: str, reader: PageReader) -> None:
        pending: list[pa.Table] = []
        rows = 0
        pages = reader()
        try:
            for page in pages:
                if self._stop.is_set():
                    return
                pending.append(page)
                rows += page.num_rows
                if rows >= self._batch_rows:
                    self._put(name, pa.concat_tables(pending))
                    pending, rows = [], 0
            if pending:
                self._put(name, pa.concat_tables(pending))
            self._put(name, _DONE)
        except BaseException as error:  # handed to the consumer, raised in its thread
            self._put(name, error)
        finally:
            pages.close()

    def _put(self, name: str, item: object) -> None:
        while not self._stop.is_set():
            try:
                self._queues[name].put(item, timeout=0.2)
                return
            except queue.Full:
                continue
