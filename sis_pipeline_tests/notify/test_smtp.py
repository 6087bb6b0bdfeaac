"""Sending through a real SMTP server on loopback: the login, and a server that is down."""

from __future__ import annotations

import time

import pytest

from sis_pipeline.config.models import SmtpSettings
from sis_pipeline.notify.message import compose
from sis_pipeline.notify.smtp import send
from sis_pipeline_tests.notify.mail_server import free_port, mail_server
from sis_pipeline_tests.notify.sample_facts import held_sync

PASSWORD = "smtp-pass-4be1c7"
# The loopback server takes a login without TLS; a real one would want STARTTLS first.
pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")


def message():
    return compose(held_sync(), "sis-pipeline@example.org", ["ops@example.org"])


def test_the_message_is_delivered_with_the_login_from_the_environment(monkeypatch):
    monkeypatch.setenv("TEST_SMTP_USER", "mailer")
    monkeypatch.setenv("TEST_SMTP_PASSWORD", PASSWORD)
    with mail_server(accounts={"mailer": PASSWORD}) as server:
        settings = SmtpSettings(
            host="127.0.0.1",
            port=server.port,
            starttls=False,
            username_env="TEST_SMTP_USER",
            password_env="TEST_SMTP_PASSWORD",
        )
        logged = []
        assert send(message(), settings, logged.append)
    assert server.logins == ["mailer"] and logged == []
    [received] = server.received
    assert received.recipients == ["ops@example.org"]
    assert received.message["Subject"] == "sis-pipeline sync riverdale: held"
    assert PASSWORD not in received.message.as_string()


def test_a_refused_login_is_logged_once_without_the_password(monkeypatch):
    monkeypatch.setenv("TEST_SMTP_USER", "mailer")
    monkeypatch.setenv("TEST_SMTP_PASSWORD", "wrong-" + PASSWORD)
    with mail_server(accounts={"mailer": PASSWORD}) as server:
        settings = SmtpSettings(
            host="127.0.0.1",
            port=server.port,
            starttls=False,
            username_env="TEST_SMTP_USER",
            password_env="TEST_SMTP_PASSWORD",
        )
        logged = []
        assert not send(message(), settings, logged.append, pause_seconds=5)
    assert server.received == [] and len(logged) == 1
    assert "after 1 attempt(s)" in logged[0] and PASSWORD not in logged[0]


def test_a_server_that_is_down_is_tried_a_few_times_briefly_then_logged():
    settings = SmtpSettings(host="127.0.0.1", port=free_port(), starttls=False)
    logged = []
    started = time.monotonic()
    assert not send(message(), settings, logged.append, attempts=3, pause_seconds=0.2)
    assert time.monotonic() - started < 5
    assert len(logged) == 1 and "after 3 attempt(s)" in logged[0]
    assert f"127.0.0.1:{settings.port}" in logged[0]
