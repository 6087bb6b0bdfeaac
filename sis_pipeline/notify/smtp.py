"""Send one message through the schools file's mail server, retrying a few times, briefly.

A mail server that is down must never fail or hold up a sync: `send` never raises; after
`attempts` tries (with the defaults at most about 20 seconds for a server that never
answers; a refused connection fails at once) it logs why and returns False. Answers that no
retry can change (credentials or addresses refused) are not retried.
"""

from __future__ import annotations

import os
import smtplib
import ssl
import time
from collections.abc import Callable
from email.message import EmailMessage

from sis_pipeline.config.models import SmtpSettings

PERMANENT = (
    smtplib.SMTPAuthenticationError,
    smtplib.SMTPNotSupportedError,
    smtplib.SMTPRecipientsRefused,
    smtplib.SMTPSenderRefused,
)


def send(
    message: EmailMessage,
    settings: SmtpSettings,
    log: Callable[[str], None],
    *,
    attempts: int = 3,
    pause_seconds: float = 1.0,
    timeout_seconds: float = 5.0,
) -> bool:
    """Deliver `message`; True once the server accepted it, False (logged) otherwise."""
    missing = [
        name
        for name in (settings.username_env, settings.password_env)
        if name and not os.environ.get(name)
    ]
    if missing:
        log(f"run summary not sent: environment variable {missing[0]} is not set")
        return False
    for attempt in range(1, attempts + 1):
        try:
            _deliver(message, settings, timeout_seconds)
            return True
        except (OSError, smtplib.SMTPException) as error:
            reason = _reason(error)
            if isinstance(error, PERMANENT) or attempt == attempts:
                log(
                    f"run summary not sent: mail server {settings.host}:{settings.port} "
                    f"after {attempt} attempt(s): {reason}"
                )
                return False
            time.sleep(pause_seconds * attempt)
    return False


def _deliver(message: EmailMessage, settings: SmtpSettings, timeout: float) -> None:
    with smtplib.SMTP(settings.host, settings.port, timeout=timeout) as server:
        if settings.starttls:
            server.starttls(context=ssl.create_default_context())
        if settings.username_env and settings.password_env:
            server.login(os.environ[settings.username_env], os.environ[settings.password_env])
        server.send_message(message)


def _reason(error: BaseException) -> str:
    if isinstance(error, smtplib.SMTPResponseException):
        text = (
            error.smtp_error.decode(errors="replace")
            if isinstance(error.smtp_error, bytes)
            else str(error.smtp_error)
        )
        return f"{error.smtp_code} {text.splitlines()[0] if text else ''}".strip()
    if isinstance(error, OSError) and error.strerror:
        return error.strerror
    return str(error).splitlines()[0] if str(error) else type(error).__name__
