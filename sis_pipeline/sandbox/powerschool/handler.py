"""The HTTP face of the simulator: a threading stdlib server speaking HTTP/1.1 keep-alive."""

from __future__ import annotations

import json
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from .api import handle, path_template
from .request_log import RequestLog
from .state import JSON_TYPE, SimulatorState


class SimulatorServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], state: SimulatorState, log: RequestLog):
        super().__init__(address, RequestHandler)
        self.state = state
        self.log = log

    def handle_error(self, request, client_address) -> None:
        # A client that hangs up mid-answer is the client's business, not a simulator bug.
        error = sys.exc_info()[1]
        if not isinstance(error, ConnectionError):
            super().handle_error(request, client_address)


class RequestHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as httpx pools connections
    # Headers and body go out in two writes; without this, Nagle's algorithm meets the
    # client's delayed ACK and every keep-alive request waits about 40 ms.
    disable_nagle_algorithm = True
    server: SimulatorServer

    def _answer(self) -> None:
        self.server.log.opened()
        try:
            self._reply()
        finally:
            self.server.log.closed()

    def _reply(self) -> None:
        state = self.server.state
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        if state.faults.latency_seconds > 0:
            time.sleep(state.faults.latency_seconds)
        target = urlsplit(self.path)
        reply = handle(state, self.command, target.path, target.query, self.headers, body)
        payload = json.dumps(reply.body, separators=(",", ":")).encode("utf-8")
        # Logged before the reply leaves, so a caller that has its answer sees it counted.
        self.server.log.record(self.command, target.path, path_template(target.path), reply.status)
        self.send_response(reply.status)
        self.send_header("Content-Type", JSON_TYPE)
        self.send_header("Content-Length", str(len(payload)))
        for name, value in reply.headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(payload)

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = _answer

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass  # the request log keeps what tests need; stderr stays quiet
