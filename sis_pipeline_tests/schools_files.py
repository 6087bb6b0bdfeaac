"""Schools files for tests: the file around a `schools:` section, and the sections several
tests share."""

from __future__ import annotations

import textwrap
from pathlib import Path

# Two schools as the sandbox district holds them (school numbers 100 and 200).
TWO_SCHOOLS = """
riverdale:
  name: Riverdale High School
  org_id: riverdale-high
  powerschool:
    school_numbers: [100]
  optional_fields: [email]
hillcrest:
  name: Hillcrest Middle School
  org_id: hillcrest-middle
  powerschool:
    school_numbers: [200]
  student_id_field: dcid
  member_types: [student, teacher]
"""

# Riverdale alone, syncing every personal field the platform takes.
RIVERDALE_WITH_PERSONAL_FIELDS = """
riverdale:
  name: Riverdale High School
  org_id: riverdale-high
  powerschool:
    school_numbers: [100]
  optional_fields: [date_of_birth, gender, email]
"""

# Two schools with nothing but the required keys, for definitions that are never run.
TWO_BARE_SCHOOLS = """
riverdale:
  name: Riverdale
  org_id: riverdale-high
hillcrest:
  name: Hillcrest
  org_id: hillcrest-middle
"""


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
