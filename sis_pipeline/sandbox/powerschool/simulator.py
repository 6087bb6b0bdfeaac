"""PowerSchoolSimulator: a loopback PowerSchool that serves given DataFrames over real HTTP.

It follows the documented behaviour of the real server (token endpoint, bearer check,
`/ws/v1/metadata`, the schema table API with its quirks and error bodies, plugin.xml
grants) and knows nothing of any client, so it can catch a client's mistakes.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping

import pandas as pd

from .faults import PowerSchoolFaults
from .handler import SimulatorServer
from .plugin_grants import PluginGrants, parse_plugin_xml
from .request_log import RequestLog
from .state import SimulatorState
from .table_data import prepare_tables
from .table_snapshot import TableSnapshot
from .tokens import TokenStore


class PowerSchoolSimulator:
    def __init__(
        self,
        tables: Mapping[str, pd.DataFrame],
        client_id: str = "sandbox-client",
        client_secret: str = "sandbox-secret",
        plugin_xml: str | None = None,
        faults: PowerSchoolFaults | None = None,
        max_page_size: int = 100,
        token_lifetime_seconds: int = 2592000,
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        if max_page_size < 1:
            raise ValueError("max_page_size must be at least 1")
        self._state = SimulatorState(
            snapshot=TableSnapshot(prepare_tables(tables)),
            grants=_grants(plugin_xml),
            faults=faults or PowerSchoolFaults(),
            tokens=TokenStore(token_lifetime_seconds),
            client_id=client_id,
            client_secret=client_secret,
            max_page_size=max_page_size,
        )
        self._address = (host, port)
        self._log = RequestLog()
        self._server: SimulatorServer | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> str:
        if self._server is None:
            self._server = SimulatorServer(self._address, self._state, self._log)
            self._thread = threading.Thread(
                target=self._server.serve_forever,
                kwargs={"poll_interval": 0.02},  # shutdown() waits up to one interval
                name="powerschool-simulator",
                daemon=True,
            )
            self._thread.start()
        return self.url

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            if self._thread is not None:
                self._thread.join(timeout=5)
            self._server = None
            self._thread = None

    def __enter__(self) -> PowerSchoolSimulator:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        if self._server is None:
            raise RuntimeError("the simulator is not running; call start() first")
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def set_tables(self, tables: Mapping[str, pd.DataFrame]) -> None:
        """Serve new data from the next request on (a district's "next week")."""
        self._state.snapshot = TableSnapshot(prepare_tables(tables))

    def set_plugin_xml(self, plugin_xml: str | None) -> None:
        self._state.grants = _grants(plugin_xml)

    @property
    def faults(self) -> PowerSchoolFaults:
        return self._state.faults

    @faults.setter
    def faults(self, faults: PowerSchoolFaults) -> None:
        self._state.faults = faults
        self._state.counter.reset()

    @property
    def request_counts(self) -> dict[str, int]:
        return self._log.counts()

    @property
    def peak_concurrent_requests(self) -> int:
        """The most requests answered at once since the start or `reset_counts()`."""
        return self._log.peak_open()

    @property
    def requests(self) -> list[tuple[str, str, int]]:
        return self._log.entries()

    @property
    def internal_errors(self) -> list[str]:
        """Tracebacks of simulator bugs (answered as 500); empty in a healthy run."""
        return list(self._state.internal_errors)

    def reset_counts(self) -> None:
        self._log.clear()
        self._state.counter.reset()


def _grants(plugin_xml: str | None) -> PluginGrants:
    return PluginGrants.everything() if plugin_xml is None else parse_plugin_xml(plugin_xml)
