"""A school's clients carry its settings: PowerSchool's request limit comes from the file."""

from __future__ import annotations

import textwrap

import pytest

from sis_pipeline.config.schools_file import load_schools_config
from sis_pipeline.resources.clients import powerschool_client

FILE = """
platform: {url: "https://platform.example.com", token_env: PLATFORM_TOKEN}
defaults:
  powerschool: {url: "https://district.powerschool.com", client_id_env: PS_ID,
                client_secret_env: PS_SECRET}
schools:
  polite: {name: Polite, org_id: polite}
  busy:
    name: Busy
    org_id: busy
    powerschool: {max_concurrent_requests: 8}
"""


@pytest.mark.parametrize(("key", "expected"), [("polite", 4), ("busy", 8)])
def test_powerschool_request_limit_comes_from_the_schools_file(
    tmp_path, monkeypatch, key, expected
):
    path = tmp_path / "schools.yaml"
    path.write_text(textwrap.dedent(FILE))
    for name in ("PLATFORM_TOKEN", "PS_ID", "PS_SECRET"):
        monkeypatch.setenv(name, "x")
    with powerschool_client(load_schools_config(path), key) as client:
        assert client.concurrency == expected
