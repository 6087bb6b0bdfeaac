"""The schools file: what loads, and one clear line per kind of mistake."""

from __future__ import annotations

import textwrap

import pytest

from sis_pipeline.config.schools_file import ConfigError, load_schools_config, require_secrets

VALID = """
platform:
  url: https://platform.example.com
  token_env: PLATFORM_API_TOKEN
defaults:
  member_types: [student, teacher]
  powerschool:
    client_id_env: PS_ID
    client_secret_env: PS_SECRET
schools:
  riverdale:
    name: Riverdale High School
    org_id: riverdale-high
    powerschool:
      url: https://riverdale.powerschool.com
      school_numbers: [100]
    grades: {from: 9, to: 12}
"""


def load(tmp_path, text: str):
    path = tmp_path / "schools.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return load_schools_config(path)


def problems(tmp_path, text: str) -> list[str]:
    with pytest.raises(ConfigError) as raised:
        load(tmp_path, text)
    return raised.value.problems


def test_valid_file_merges_defaults_and_applies_interface_defaults(tmp_path):
    school = load(tmp_path, VALID).school("riverdale")
    assert school.member_types == ["student", "teacher"]
    assert school.powerschool.client_id_env == "PS_ID"
    assert school.powerschool.school_numbers == [100]
    assert (school.grades.from_, school.grades.to) == (9, 12)
    assert school.student_id_field == "student_number"
    assert school.prefix("parent") == "P"
    assert school.safety.max_deactivations.fraction == 0.10
    assert school.safety.max_deactivations.minimum == 5
    assert (school.schedule.weekday, school.schedule.time) == ("monday", "06:00")


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            ("    grades: {from: 9, to: 12}", "    grades: {from: nine, to: 12}"),
            "schools.riverdale.grades.from:",
        ),
        (
            ("    org_id: riverdale-high", "    org_id: riverdale-high\n    colour: blue"),
            "schools.riverdale.colour: unknown key",
        ),
        (("  riverdale:", "  River-Dale:"), "schools.River-Dale: bad school key"),
        (
            ("https://riverdale.powerschool.com", "http://riverdale.powerschool.com"),
            "schools.riverdale.powerschool.url: plain http://",
        ),
        (("https://platform.example.com", "http://platform.example.com"), "platform.url: plain"),
        (
            ("  member_types: [student, teacher]", "  member_types: [student, ghost]"),
            "defaults.member_types.1:",
        ),
        (
            ("    grades: {from: 9, to: 12}", "    grades: {from: 12, to: 9}"),
            "schools.riverdale.grades:",
        ),
        (("    org_id: riverdale-high", "    org_id: riverdale high"), "schools.riverdale.org_id:"),
        (("  token_env: PLATFORM_API_TOKEN", "  token_env: 12"), "platform.token_env:"),
    ],
)
def test_each_mistake_is_one_line_naming_its_key(tmp_path, change, expected):
    old, new = change
    assert old in VALID
    found = problems(tmp_path, VALID.replace(old, new))
    assert any(line.startswith(expected) for line in found), found
    assert all("\n" not in line for line in found)


def test_http_to_loopback_is_allowed(tmp_path):
    text = VALID.replace("https://riverdale.powerschool.com", "http://127.0.0.1:8765")
    assert load(tmp_path, text).school("riverdale").powerschool.url.startswith("http://127")


def test_missing_env_var_is_named_without_values(tmp_path, monkeypatch):
    config = load(tmp_path, VALID)
    monkeypatch.setenv("PLATFORM_API_TOKEN", "t0ken-value")
    monkeypatch.setenv("PS_ID", "id")
    monkeypatch.delenv("PS_SECRET", raising=False)
    with pytest.raises(ConfigError) as raised:
        require_secrets(config, "riverdale")
    assert raised.value.problems == [
        "schools.riverdale.powerschool.client_secret_env: environment variable PS_SECRET is not set"
    ]


@pytest.mark.parametrize(
    ("variable", "value", "problem"),
    [
        ("PLATFORM_API_TOKEN", "t0ken-value\n", "has white space around its value"),
        ("PLATFORM_API_TOKEN", " t0ken-value", "has white space around its value"),
        ("PS_SECRET", "s3cret\r\nX-Extra: 1", "has control characters in its value"),
        ("PS_ID", "id\x07", "has control characters in its value"),
    ],
)
def test_a_secret_with_control_characters_or_white_space_is_named_never_shown(
    tmp_path, monkeypatch, variable, value, problem
):
    config = load(tmp_path, VALID)
    for name in ("PLATFORM_API_TOKEN", "PS_ID", "PS_SECRET"):
        monkeypatch.setenv(name, "fine-value")
    monkeypatch.setenv(variable, value)
    with pytest.raises(ConfigError) as raised:
        require_secrets(config, "riverdale")
    (line,) = raised.value.problems
    assert line.endswith(f"environment variable {variable} {problem}")
    assert value.strip()[:6] not in line and "\n" not in line


def test_unknown_school_and_unreadable_files(tmp_path):
    config = load(tmp_path, VALID)
    with pytest.raises(ConfigError, match="schools.nope: no such school"):
        config.school("nope")
    (broken,) = problems(tmp_path, "platform: [unclosed")
    assert "cannot read the schools file" in broken
    with pytest.raises(ConfigError, match="not found"):
        load_schools_config(tmp_path / "missing.yaml")
