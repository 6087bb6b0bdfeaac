"""The demo schools file ships inside the package, so `demo` and `sandbox` work when installed."""

from __future__ import annotations

import fnmatch
import tomllib
from importlib import resources
from pathlib import Path

import sis_pipeline
from sis_pipeline.cli.demo_command import DEMO_SCHOOLS_FILE
from sis_pipeline.config.schools_file import load_schools_config

ROOT = Path(sis_pipeline.__file__).resolve().parents[1]


def test_the_demo_schools_file_is_package_data():
    with resources.as_file(DEMO_SCHOOLS_FILE) as path:
        assert path.resolve().is_relative_to(Path(sis_pipeline.__file__).resolve().parent)
        config = load_schools_config(path)
    assert sorted(config.schools) == ["hillcrest", "riverdale"]
    # A wheel carries a package's non-Python files only where pyproject names them.
    settings = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = settings["tool"]["setuptools"]["package-data"]["sis_pipeline.sandbox"]
    assert any(fnmatch.fnmatch(DEMO_SCHOOLS_FILE.name, pattern) for pattern in patterns)


def test_the_checkouts_default_schools_file_is_the_same_file():
    assert (ROOT / "data" / "schools.yaml").resolve() == Path(str(DEMO_SCHOOLS_FILE)).resolve()
