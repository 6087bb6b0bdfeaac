"""Shared fixtures: a schools file written for the test's own sandbox and data folder."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from sis_pipeline.config.schools_file import SchoolsConfig, load_schools_config


def write_schools_file(path: Path, powerschool_url: str, platform_url: str, body: str) -> Path:
    """A schools file whose `schools:` section is `body` (indented YAML of the schools)."""
    path.write_text(
        textwrap.dedent(
            f"""\
            platform:
              url: {platform_url}
              token_env: TEST_PLATFORM_TOKEN
            defaults:
              powerschool:
                url: {powerschool_url}
                client_id_env: TEST_PS_CLIENT_ID
                client_secret_env: TEST_PS_CLIENT_SECRET
            schools:
            """
        )
        + textwrap.indent(textwrap.dedent(body), "  "),
        encoding="utf-8",
    )
    return path


@pytest.fixture
def schools_file(tmp_path):
    def make(body: str, powerschool_url="http://127.0.0.1:1", platform_url="http://127.0.0.1:2"):
        return load_schools_config(
            write_schools_file(tmp_path / "schools.yaml", powerschool_url, platform_url, body)
        )

    return make


__all__ = ["SchoolsConfig", "write_schools_file"]
