"""A mail server on loopback for the demo: each message it receives is kept as a file.

The demo's schools file sends its run summaries here, so `sis-pipeline demo` and `ui` show the
e-mails schools and operators would get, without a real mail server.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from aiosmtpd.controller import Controller


class _KeepInFolder:
    def __init__(self, folder: Path) -> None:
        self.folder = folder

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 - aiosmtpd's name
        number = len(list(self.folder.glob("*.eml"))) + 1
        path = self.folder / f"{number:04d}.eml"
        path.write_bytes(envelope.original_content or envelope.content)
        path.chmod(0o600)
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def running_mail_sink(folder: Path) -> Iterator[int]:
    """Serve SMTP on a free loopback port while the block runs; yields the port."""
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    controller = Controller(_KeepInFolder(folder), hostname="127.0.0.1", port=_free_port())
    controller.start()
    try:
        yield controller.port
    finally:
        controller.stop()
