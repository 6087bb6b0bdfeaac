"""The platform client is opened only once there is a batch to send."""

from __future__ import annotations

from sis_pipeline.sink.apply_or_preview import apply_or_preview
from sis_pipeline.sources.platform.client import PlatformClient
from sis_pipeline_tests.sink.test_batch_apply import ORG, QUICK, TOKEN, con, renames, seed, server

__all__ = ["con", "server"]  # the fixtures


def test_nothing_to_send_opens_no_client_and_a_batch_opens_one(server, con):
    opened: list[PlatformClient] = []

    def open_client() -> PlatformClient:
        opened.append(PlatformClient(server.url, TOKEN, ORG, policy=QUICK))
        return opened[-1]

    none = apply_or_preview(con, open_client, "run-1", "empty", [], print, test_run=False)
    assert none == [] and opened == []
    assert con.execute("SELECT finished FROM sync.sink_attempts").fetchall() == [(True,)]
    operations = renames(2)
    seed(server, [op["host_id"] for op in operations])
    outcomes = apply_or_preview(
        con, open_client, "run-2", "plan", operations, print, test_run=False
    )
    assert [status for _, status, _, _ in outcomes] == ["ok", "ok"] and len(opened) == 1
    assert opened[0]._http.is_closed
