"""Send a plan's operations to the platform, or in a test run only say what would be sent.

A run is a test run when its command or the launchpad asks for one, or when the school's
config says `test_run: true`. A test run sends nothing, and each operation comes back as
`would_apply`, so its counts say what a real run would have applied.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager, ExitStack

import duckdb

from sis_pipeline.config.models import SchoolSettings
from sis_pipeline.sink.batch_apply import Outcome, apply_in_batches
from sis_pipeline.sink.operations import Operation, slim
from sis_pipeline.sources.platform.client import PlatformClient
from sis_pipeline.state.durable_store import LOCAL_STATE, LocalState

# Statuses that count as applied: sent and accepted, or what a test run would have sent.
APPLIED_STATUSES = ("ok", "would_apply")


def is_test_run(requested: bool, school: SchoolSettings) -> bool:
    return requested or school.test_run


def apply_or_preview(
    con: duckdb.DuckDBPyConnection,
    open_client: Callable[[], AbstractContextManager[PlatformClient]],
    run_id: str,
    plan_id: str,
    operations: Iterable[Operation],
    report_error: Callable[[str], None],
    *,
    test_run: bool,
    durable: LocalState = LOCAL_STATE,
) -> list[Outcome]:
    """Each operation's outcome, in the order given."""
    if test_run:
        return [(slim(op), "would_apply", None, None) for op in operations]
    with ExitStack() as opened:
        client = _OpenedOnFirstBatch(open_client, opened)
        return apply_in_batches(con, client, run_id, plan_id, operations, report_error, durable)


class _OpenedOnFirstBatch:
    """The platform client, opened when the first batch is ready to go: a run with nothing to
    send opens none (making an HTTPS client loads the CA bundle: tens of milliseconds), and
    the next batches are read and serialised meanwhile."""

    def __init__(
        self, open_client: Callable[[], AbstractContextManager[PlatformClient]], stack: ExitStack
    ) -> None:
        self._open = open_client
        self._stack = stack
        self._client: PlatformClient | None = None

    def apply_batch_body(self, body: bytes, count: int, idempotency_key: str) -> list[dict]:
        if self._client is None:
            self._client = self._stack.enter_context(self._open())
        return self._client.apply_batch_body(body, count, idempotency_key)
