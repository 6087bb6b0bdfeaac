"""HTTP/1.1 plumbing: bytes on the socket in, `ApiRequest` to the API, `ApiResponse` out.

The body is always read in full before answering, so a keep-alive connection stays in step
even when the answer is an early error.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from sis_pipeline.sandbox.platform.api import PlatformApi
from sis_pipeline.sandbox.platform.messages import (
    ApiError,
    ApiRequest,
    ApiResponse,
    invalid_request,
)

MAX_BODY_BYTES = 8 * 1024 * 1024


class PlatformHttpServer(ThreadingHTTPServer):
    """Threaded server that can cut its open keep-alive connections when it stops."""

    daemon_threads = True

    def __init__(self, address: tuple[str, int], api: PlatformApi, ipv6: bool = False) -> None:
        if ipv6:
            self.address_family = socket.AF_INET6
        self.api = api
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()
        super().__init__(address, PlatformRequestHandler)

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._connections_lock:
            self._connections.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self._connections_lock:
            self._connections.discard(request)
        super().shutdown_request(request)

    def close_connections(self) -> None:
        # Idle keep-alive connections would otherwise let a stopped server still answer.
        with self._connections_lock:
            connections = list(self._connections)
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)


class PlatformRequestHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "SandboxPlatform/1"
    sys_version = ""
    # Headers and body go out in two writes; with Nagle on, each keep-alive answer stalls ~40 ms.
    disable_nagle_algorithm = True
    server: PlatformHttpServer

    def do_GET(self) -> None:
        self._serve()

    def do_POST(self) -> None:
        self._serve()

    def do_PUT(self) -> None:
        self._serve()

    def do_PATCH(self) -> None:
        self._serve()

    def do_DELETE(self) -> None:
        self._serve()

    def log_message(self, format: str, *args: Any) -> None:
        pass  # quiet: tests and the demo read counters, not access logs

    def _serve(self) -> None:
        try:
            body = self._read_body()
        except ApiError as error:
            self.close_connection = True
            self._write(error.to_response())
            return
        url = urlsplit(self.path)
        headers: dict[str, list[str]] = {}
        for name, value in self.headers.items():
            headers.setdefault(name.lower(), []).append(value)
        request = ApiRequest(
            method=self.command,
            path=url.path,
            query=parse_qs(url.query, keep_blank_values=True),
            headers=headers,
            body=body,
        )
        response = self.server.api.handle(request)
        if response.drop:
            self.close_connection = True
            return
        self._write(response)

    def _read_body(self) -> bytes:
        if self.headers.get("Transfer-Encoding"):
            raise invalid_request("send the body with a Content-Length")
        raw_length = self.headers.get("Content-Length", "0")
        if not raw_length.isascii() or not raw_length.isdigit():
            raise invalid_request("malformed Content-Length")
        length = int(raw_length)
        if length > MAX_BODY_BYTES:
            limit = f"bodies are limited to {MAX_BODY_BYTES} bytes"
            raise ApiError(413, "request_too_large", limit)
        return self.rfile.read(length)

    def _write(self, response: ApiResponse) -> None:
        self.send_response(response.status)
        self.send_header("Content-Type", response.content_type)
        self.send_header("Content-Length", str(len(response.body)))
        for name, value in response.headers.items():
            self.send_header(name, value)
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(response.body)
