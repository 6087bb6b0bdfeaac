"""A real SMTP server on loopback that keeps what it receives, for the notification tests."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


@dataclass
class Received:
    recipients: list[str]
    message: EmailMessage

    @property
    def text(self) -> str:
        return self.message.get_content().replace("\r\n", "\n")


@dataclass
class MailServer:
    port: int
    received: list[Received] = field(default_factory=list)
    logins: list[str] = field(default_factory=list)  # user names that logged in

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 - aiosmtpd's name
        message = message_from_bytes(envelope.original_content, policy=policy.default)
        self.received.append(Received(list(envelope.rcpt_tos), message))
        return "250 OK"


def free_port() -> int:
    """A loopback port nothing listens on (until someone binds it)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def mail_server(accounts: dict[str, str] | None = None) -> Iterator[MailServer]:
    """Accepts any mail; with `accounts`, asks for a login (AUTH without TLS, on loopback)."""
    server = MailServer(free_port())

    def authenticate(smtp, session, envelope, mechanism, auth_data) -> AuthResult:
        good = (
            isinstance(auth_data, LoginPassword)
            and (accounts or {}).get(auth_data.login.decode()) == auth_data.password.decode()
        )
        if good:
            server.logins.append(auth_data.login.decode())
        return AuthResult(success=good, handled=False)

    extra = (
        {"authenticator": authenticate, "auth_required": True, "auth_require_tls": False}
        if accounts
        else {}
    )
    controller = Controller(server, hostname="127.0.0.1", port=server.port, **extra)
    controller.start()
    try:
        yield server
    finally:
        controller.stop()
