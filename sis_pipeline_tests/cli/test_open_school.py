"""The opening the per-school commands share: schools file, school, secrets, in that order."""

from __future__ import annotations

import pytest

from sis_pipeline.cli.main import main
from sis_pipeline.cli.open_school import open_school
from sis_pipeline.config.schools_file import ConfigError
from sis_pipeline_tests.config.test_schools_file import VALID

SECRETS = ("PLATFORM_API_TOKEN", "PS_ID", "PS_SECRET")


@pytest.fixture
def schools_yaml(tmp_path, monkeypatch):
    path = tmp_path / "schools.yaml"
    path.write_text(VALID, encoding="utf-8")
    monkeypatch.setenv("SIS_PIPELINE_CONFIG", str(path))
    for name in SECRETS:
        monkeypatch.delenv(name, raising=False)
    return path


def test_the_school_and_its_settings_when_all_is_set(schools_yaml, monkeypatch):
    for name in SECRETS:
        monkeypatch.setenv(name, "x")
    config, school = open_school("riverdale")
    assert school is config.schools["riverdale"]
    assert school.org_id == "riverdale-high"


def test_a_missing_secret_names_each_variable_unless_secrets_are_not_needed(schools_yaml):
    with pytest.raises(ConfigError) as raised:
        open_school("riverdale")
    assert [problem.split(": ", 1)[1] for problem in raised.value.problems] == [
        f"environment variable {name} is not set" for name in SECRETS
    ]
    _, school = open_school("riverdale", secrets=False)
    assert school.name == "Riverdale High School"


def test_an_unknown_school_is_named_before_its_secrets(schools_yaml):
    with pytest.raises(ConfigError, match=r"schools\.nowhere: no such school"):
        open_school("nowhere", secrets=False)
    with pytest.raises(ConfigError, match=r"schools\.nowhere: no such school"):
        open_school("nowhere")


@pytest.mark.parametrize("command", ["sync", "reconcile", "check", "plugin"])
def test_every_per_school_command_exits_2_with_one_line_for_an_unknown_school(
    schools_yaml, tmp_path, command, capsys
):
    extra = ["--mapping", str(tmp_path / "mapping.csv")] if command == "reconcile" else []
    assert main([command, "--school", "nowhere", *extra]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err == [
        "sis-pipeline: error: schools.nowhere: no such school in the file (known: riverdale)"
    ]
