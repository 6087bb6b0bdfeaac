"""The schools file's `notifications` block: what loads, what is refused, which secrets."""

from __future__ import annotations

import pytest

from sis_pipeline.config.schools_file import ConfigError, load_schools_config, require_secrets

VALID = """
platform:
  url: https://platform.example.com
  token_env: PLATFORM_API_TOKEN
schools:
  riverdale:
    name: Riverdale High School
    org_id: riverdale-high
    powerschool:
      url: https://riverdale.powerschool.com
      client_id_env: PS_ID
      client_secret_env: PS_SECRET
"""

NOTIFICATIONS = """
notifications:
  smtp: {host: smtp.example.org, port: 2525, starttls: true,
         username_env: SMTP_USERNAME, password_env: SMTP_PASSWORD}
  from: sis-pipeline@example.org
  operators: [data-team@example.org]
  dagster_url: https://dagster.example.org
"""


def load(tmp_path, text: str):
    path = tmp_path / "schools.yaml"
    path.write_text(text, encoding="utf-8")
    return load_schools_config(path)


def problems(tmp_path, text: str) -> list[str]:
    with pytest.raises(ConfigError) as raised:
        load(tmp_path, text)
    return raised.value.problems


def test_the_block_loads_with_the_interface_defaults(tmp_path):
    settings = load(tmp_path, VALID + NOTIFICATIONS).notifications
    assert settings.from_ == "sis-pipeline@example.org"
    assert settings.operators == ["data-team@example.org"]
    assert (settings.smtp.host, settings.smtp.port, settings.smtp.starttls) == (
        "smtp.example.org",
        2525,
        True,
    )
    assert settings.dagster_url == "https://dagster.example.org"
    assert load(tmp_path, VALID).notifications is None
    minimal = load(tmp_path, VALID + "notifications:\n  smtp: {host: mail}\n  from: a@b.org\n")
    assert minimal.notifications.smtp.port == 587 and minimal.notifications.smtp.starttls
    assert minimal.notifications.smtp.username_env is None


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (("starttls: true", "tls: true"), "notifications.smtp.tls: unknown key"),
        (("port: 2525", "port: 0"), "notifications.smtp.port:"),
        (("username_env: SMTP_USERNAME, ", ""), "username_env and password_env go together"),
        (("from: sis-pipeline@example.org", "from: nobody"), "notifications.from:"),
        (("[data-team@example.org]", "[data team]"), "notifications.operators.0:"),
        (("https://dagster.example.org", "dagster.example.org"), "notifications.dagster_url:"),
        (("  from:", "  sender:"), "notifications.sender: unknown key"),
    ],
)
def test_each_mistake_is_one_line_naming_its_key(tmp_path, change, expected):
    found = problems(tmp_path, VALID + NOTIFICATIONS.replace(*change))
    assert any(expected in line for line in found), found


def test_smtp_credentials_are_required_like_other_secrets(tmp_path, monkeypatch):
    config = load(tmp_path, VALID + NOTIFICATIONS)
    for name in ("PLATFORM_API_TOKEN", "PS_ID", "PS_SECRET", "SMTP_USERNAME"):
        monkeypatch.setenv(name, "x")
    monkeypatch.delenv("SMTP_PASSWORD", raising=False)
    with pytest.raises(ConfigError) as raised:
        require_secrets(config, "riverdale")
    assert raised.value.problems == [
        "notifications.smtp.password_env: environment variable SMTP_PASSWORD is not set"
    ]
    monkeypatch.setenv("SMTP_PASSWORD", "y")
    require_secrets(config, "riverdale")
