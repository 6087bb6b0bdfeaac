"""A gallery of schools-file mistakes: each is refused with one line naming its key (or line),
every mistake in the file is listed, and no secret value is ever echoed."""

from __future__ import annotations

import textwrap

import pytest

from sis_pipeline.config.schools_file import ConfigError, load_schools_config

VALID = """
platform:
  url: https://platform.example.com
  token_env: PLATFORM_API_TOKEN
defaults:
  powerschool:
    url: https://district.powerschool.com
    client_id_env: PS_ID
    client_secret_env: PS_SECRET
schools:
  riverdale:
    name: Riverdale High School
    org_id: riverdale-high
    powerschool:
      school_numbers: [100]
    member_types: [student, teacher, parent]
    optional_fields: [email]
    safety:
      max_deactivations: {fraction: 0.1, minimum: 5}
    schedule: {weekday: monday, time: "06:00", timezone: UTC}
    pauses:
      - {from: 2027-06-20, to: 2027-08-20, reason: summer break}
    notify: [ops@example.org]
  hillcrest:
    name: Hillcrest Middle School
    org_id: hillcrest-middle
    schedule: off
"""

MISTAKES = [
    (
        "  riverdale:\n    name: Riverdale High School\n",
        "  riverdale:\n",
        "schools.riverdale.name:",
    ),
    ("    org_id: riverdale-high\n", "", "schools.riverdale.org_id:"),
    ("org_id: hillcrest-middle", "org_id: riverdale-high", "schools.hillcrest.org_id: riverdale"),
    ("school_numbers: [100]", "school_numbers: []", "schools.riverdale.powerschool.school"),
    ("school_numbers: [100]", 'school_numbers: ["one"]', "schools.riverdale.powerschool.school"),
    (
        "school_numbers: [100]",
        "school_numbers: [100]\n      max_concurrent_requests: 0",
        "schools.riverdale.powerschool.max_concurrent_requests:",
    ),
    ("member_types: [student, teacher, parent]", "member_types: []", "schools.riverdale.member"),
    ("optional_fields: [email]", "optional_fields: [ssn]", "schools.riverdale.optional_fields.0:"),
    ("fraction: 0.1", "fraction: 1.5", "schools.riverdale.safety.max_deactivations.fraction:"),
    ("minimum: 5", "minimum: -1", "schools.riverdale.safety.max_deactivations.minimum:"),
    ("weekday: monday", "weekday: funday", "schools.riverdale.schedule.weekday:"),
    ('time: "06:00"', 'time: "25:00"', "schools.riverdale.schedule.time:"),
    ("timezone: UTC", "timezone: Mars/Olympus", "schools.riverdale.schedule.timezone:"),
    ("notify: [ops@example.org]", "notify: [ops]", "schools.riverdale.notify.0:"),
    (
        "from: 2027-06-20",
        "from: 2027-09-01",
        "schools.riverdale.pauses.0: 'from' (2027-09-01) is after 'to'",
    ),
    (
        "defaults:\n",
        "defaults:\n  pauses: [{from: 2027-09-01, to: 2027-08-20, reason: x}]\n",
        "defaults.pauses.0: 'from' (2027-09-01) is after 'to'",
    ),
    ("to: 2027-08-20", "to: 2027-08-32", "bad date '2027-08-32': day is out of range"),
    ("to: 2027-08-20", "to: next week", "schools.riverdale.pauses.0.to:"),
    (", reason: summer break", "", "schools.riverdale.pauses.0.reason: Field required"),
    ("reason: summer break", 'reason: " "', "schools.riverdale.pauses.0.reason:"),
    ("reason: summer break", "why: summer break", "schools.riverdale.pauses.0.why: unknown key"),
    ("- {from: 2027-06-20", "- {from: 2027-06-20, until: 2027-07-01", "pauses.0.until: unknown"),
    (
        'schedule: {weekday: monday, time: "06:00", timezone: UTC}',
        "schedule: on",
        "schools.riverdale.schedule: expected `off` or a mapping",
    ),
    (
        "    schedule: off\n",
        "    schedule:\n",
        "schools.hillcrest.schedule: expected `off`",
    ),
    (
        "    name: Riverdale High School\n",
        "    name: Riverdale\n    test_run: yes please\n",
        "test_run:",
    ),
    (
        "client_secret_env: PS_SECRET",
        "client_secret_env: PS-SECRET",
        "defaults.powerschool.client_secret_env",
    ),
    (
        "school_numbers: [100]",
        "school_numbers: [100, 200, 100]",
        "schools.riverdale.powerschool.school_numbers: listed twice: 100",
    ),
    ("  hillcrest:\n", '  "hillcrest\\n":\n', "schools.'hillcrest\\n': bad school key"),
    ("https://district.powerschool.com", "ftp://district.example.com", "not an http(s) URL"),
    ("  hillcrest:\n", "  riverdale:\n", "duplicate key 'riverdale' (line"),
    (
        "  url: https://platform",
        "  url: https://platform\n  url: https://platform",
        "duplicate key",
    ),
    ("  token_env: PLATFORM_API_TOKEN\n", "", "platform.token_env:"),
    ("defaults:\n", "defaults: [student]\nunused:\n", "defaults: must be a mapping"),
    ("    org_id: hillcrest-middle\n", "    org_id: hillcrest-middle\n\tgrades: 9\n", "line"),
]


def problems(tmp_path, text: str) -> list[str]:
    path = tmp_path / "schools.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    with pytest.raises(ConfigError) as raised:
        load_schools_config(path)
    return raised.value.problems


def test_the_valid_file_loads(tmp_path):
    path = tmp_path / "schools.yaml"
    path.write_text(VALID, encoding="utf-8")
    assert sorted(load_schools_config(path).schools) == ["hillcrest", "riverdale"]


@pytest.mark.parametrize(("old", "new", "expected"), MISTAKES, ids=[m[2] for m in MISTAKES])
def test_each_mistake_is_one_clear_line(tmp_path, old, new, expected):
    assert old in VALID
    found = problems(tmp_path, VALID.replace(old, new, 1))
    assert any(expected in line for line in found), found
    assert all(line and "\n" not in line and "Traceback" not in line for line in found)


def test_a_mistake_under_defaults_is_named_once(tmp_path):
    text = VALID.replace("defaults:\n", "defaults:\n  colour: blue\n")
    text = text.replace(
        "    client_secret_env: PS_SECRET\n", "    client_secret_env: PS_SECRET\n    x: 1\n"
    )
    assert sorted(problems(tmp_path, text)) == [
        "defaults.colour: unknown key",
        "defaults.powerschool.x: unknown key",
    ]


def test_every_mistake_in_the_file_is_listed_at_once(tmp_path):
    text = VALID.replace("fraction: 0.1", "fraction: 2").replace("weekday: monday", "weekday: x")
    found = problems(tmp_path, text.replace("org_id: hillcrest-middle", "org_id: bad id"))
    assert len(found) == 3


@pytest.mark.parametrize("text", ["", "just text", "- a\n- list", "platform: {}\nschools: {}"])
def test_files_without_the_expected_shape(tmp_path, text):
    found = problems(tmp_path, text)
    assert found and all("\n" not in line for line in found)
