"""Shared fixtures: a schools file written for the test's own sandbox and data folder."""

from __future__ import annotations

import pytest

from sis_pipeline.config.schools_file import load_schools_config
from sis_pipeline_tests.schools_files import write_schools_file


@pytest.fixture
def schools_file(tmp_path):
    def make(body: str, powerschool_url="http://127.0.0.1:1", platform_url="http://127.0.0.1:2"):
        return load_schools_config(
            write_schools_file(tmp_path / "schools.yaml", powerschool_url, platform_url, body)
        )

    return make
