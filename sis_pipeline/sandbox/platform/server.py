"""`PlatformServer`: the sandbox platform as a real HTTP server in a background thread.

with PlatformServer(orgs={"riverdale-high": "Riverdale High School"}) as srv:
    httpx.get(f"{srv.url}/v1/orgs/riverdale-high", headers={"Authorization": ...})
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from sis_pipeline.sandbox.platform.api import PlatformApi
from sis_pipeline.sandbox.platform.counters import Counters
from sis_pipeline.sandbox.platform.faults import PlatformFaults
from sis_pipeline.sandbox.platform.http_handler import PlatformHttpServer
from sis_pipeline.sandbox.platform.state import PlatformState
from sis_pipeline.sandbox.platform.timestamps import Clock, system_clock


class PlatformServer:
    """The sandbox platform on `host:port` (port 0: any free port), started by `start()`.

    `orgs` maps org_id -> name. With `state_file`, saved state is loaded now and the file is
    replaced atomically after every change, so a restarted server keeps its users and its
    idempotency records. `faults` may be changed, or replaced, while the server runs.
    `clock` (default: system time, UTC) sets `updated_at` and ages idempotency records.
    """

    def __init__(
        self,
        token: str = "sandbox-platform-token",
        orgs: Mapping[str, str] | None = None,
        state_file: Path | None = None,
        faults: PlatformFaults | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        clock: Clock | None = None,
    ) -> None:
        if not token:
            raise ValueError("token must not be empty")
        self._state = PlatformState(clock or system_clock, state_file)
        for org_id, name in (orgs or {}).items():
            self._state.add_org(org_id, name)
        self._counters = Counters()
        self.faults = faults if faults is not None else PlatformFaults()
        self._api = PlatformApi(token, self._state, self._counters, lambda: self.faults)
        self._host = host
        self._port = port
        self._httpd: PlatformHttpServer | None = None
        self._thread: threading.Thread | None = None
        self._url: str | None = None

    def start(self) -> str:
        if self._httpd is not None:
            raise RuntimeError("the platform server is already running")
        ipv6 = ":" in self._host
        self._httpd = PlatformHttpServer((self._host, self._port), self._api, ipv6=ipv6)
        port = self._httpd.server_address[1]
        host = f"[{self._host}]" if ipv6 else self._host
        self._url = f"http://{host}:{port}"
        # A short poll keeps stop() quick; the default half second adds up over a test suite.
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": 0.01},
            name=f"platform-server-{port}",
            daemon=True,
        )
        self._thread.start()
        return self._url

    def stop(self) -> None:
        if self._httpd is None:
            return
        self._httpd.shutdown()
        self._httpd.server_close()
        self._httpd.close_connections()
        if self._thread is not None:
            self._thread.join()
        self._httpd = None
        self._thread = None

    def __enter__(self) -> PlatformServer:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        if self._httpd is None or self._url is None:
            raise RuntimeError("the platform server is not running")
        return self._url

    def add_org(self, org_id: str, name: str) -> None:
        self._state.add_org(org_id, name)

    def seed_users(self, org_id: str, users: list[dict[str, Any]]) -> None:
        """Put users straight in (e.g. a returning school's old accounts), bypassing the API."""
        self._state.seed_users(org_id, users)

    def users(self, org_id: str) -> list[dict[str, Any]]:
        return self._state.users(org_id)

    @property
    def counters(self) -> dict[str, int]:
        return self._counters.snapshot()

    def reset_counters(self) -> None:
        self._counters.reset()
