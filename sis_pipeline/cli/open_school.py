"""The opening every per-school command shares: the schools file, the school, its secrets.

A ConfigError raised here (or later in a command) reaches `main`, which prints one line per
problem and exits 2.
"""

from __future__ import annotations

from pathlib import Path

from sis_pipeline.config.models import SchoolSettings
from sis_pipeline.config.schools_file import SchoolsConfig, load_schools_config, require_secrets


def open_school(
    key: str, *, secrets: bool = True, path: Path | None = None
) -> tuple[SchoolsConfig, SchoolSettings]:
    """Load and check the schools file, find the school and, unless `secrets` is False, check
    that every environment variable its sync reads is set. Raises ConfigError."""
    config = load_schools_config(path)
    school = config.school(key)
    if secrets:
        require_secrets(config, key)
    return config, school
