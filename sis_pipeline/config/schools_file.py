"""Load and check the schools file; every mistake becomes one line naming its key path."""

from __future__ import annotations

import os
from collections.abc import Hashable
from dataclasses import dataclass
from pathlib import Path

import yaml
from pydantic import ValidationError

from sis_pipeline.config.models import SCHOOL_KEY, PlatformSettings, SchoolSettings, SchoolsFile
from sis_pipeline.config.urls import url_problem


class ConfigError(Exception):
    """The schools file or the environment is wrong; `str()` is one line per problem."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass(frozen=True)
class SchoolsConfig:
    platform: PlatformSettings
    schools: dict[str, SchoolSettings]

    def school(self, key: str) -> SchoolSettings:
        if key not in self.schools:
            known = ", ".join(sorted(self.schools)) or "none"
            raise ConfigError([f"schools.{key}: no such school in the file (known: {known})"])
        return self.schools[key]


def config_path() -> Path:
    return Path(os.environ.get("SIS_PIPELINE_CONFIG", "data/schools.yaml"))


def data_dir() -> Path:
    return Path(os.environ.get("SIS_PIPELINE_DATA_DIR", "data"))


class _UniqueKeyLoader(yaml.SafeLoader):
    """YAML keeps the last of two equal keys without a word; a schools file must not."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:
        seen = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if isinstance(key, Hashable) and key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key!r}", key_node.start_mark
                )
            seen.add(key if isinstance(key, Hashable) else id(key))
        return super().construct_mapping(node, deep)


def load_schools_config(path: Path | None = None) -> SchoolsConfig:
    """Parse and validate the whole file; raise ConfigError listing every problem found."""
    path = path or config_path()
    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=_UniqueKeyLoader)
    except FileNotFoundError:
        raise ConfigError([f"{path}: schools file not found"]) from None
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise ConfigError([f"{path}: cannot read the schools file: {_reason(error)}"]) from None
    if not isinstance(raw, dict):
        raise ConfigError([f"{path}: the schools file must be a mapping with platform and schools"])

    problems: list[str] = []
    defaults = raw.get("defaults") or {}
    if not isinstance(defaults, dict):
        problems.append("defaults: must be a mapping")
        defaults = {}
    schools_raw = raw.get("schools")
    try:
        top = SchoolsFile.model_validate({**raw, "defaults": defaults, "schools": {}})
    except ValidationError as error:
        problems += _lines(error, ())
        top = None
    if not isinstance(schools_raw, dict) or not schools_raw:
        problems.append("schools: must be a mapping with at least one school")
        schools_raw = {}

    schools: dict[str, SchoolSettings] = {}
    for key, body in schools_raw.items():
        if not isinstance(key, str) or not SCHOOL_KEY.match(key):
            problems.append(f"schools.{key}: bad school key, expected [a-z0-9_]{{1,64}}")
            continue
        if not isinstance(body, dict):
            problems.append(f"schools.{key}: must be a mapping")
            continue
        try:
            school = SchoolSettings.model_validate(_merge(defaults, body))
        except ValidationError as error:
            problems += _lines(error, ("schools", key))
            continue
        url_problems = _url_problems(school.powerschool.url, "powerschool.url")
        problems += [f"schools.{key}.{problem}" for problem in url_problems]
        schools[key] = school
    problems += _shared_orgs(schools)
    if top is not None:
        problems += _url_problems(top.platform.url, "platform.url")
    if problems:
        raise ConfigError(problems)
    assert top is not None
    return SchoolsConfig(platform=top.platform, schools=schools)


def require_secrets(config: SchoolsConfig, school_key: str) -> None:
    """Check that every env var the school's sync reads is set (names only, never values)."""
    school = config.school(school_key)
    powerschool = f"schools.{school_key}.powerschool"
    wanted = [
        ("platform.token_env", config.platform.token_env),
        (f"{powerschool}.client_id_env", school.powerschool.client_id_env),
        (f"{powerschool}.client_secret_env", school.powerschool.client_secret_env),
    ]
    missing = [
        f"{path}: environment variable {name} is not set"
        for path, name in wanted
        if not os.environ.get(name)
    ]
    if missing:
        raise ConfigError(missing)


def _reason(error: Exception) -> str:
    if isinstance(error, yaml.MarkedYAMLError) and error.problem_mark is not None:
        return f"{error.problem} (line {error.problem_mark.line + 1})"
    return str(error).splitlines()[0] if str(error) else type(error).__name__


def _shared_orgs(schools: dict[str, SchoolSettings]) -> list[str]:
    """Two schools syncing one org would each deactivate the other's users."""
    owner: dict[str, str] = {}
    problems = []
    for key, school in schools.items():
        if school.org_id in owner:
            problems.append(
                f"schools.{key}.org_id: {school.org_id} is already the org of "
                f"schools.{owner[school.org_id]}; each school needs its own org"
            )
        owner.setdefault(school.org_id, key)
    return problems


def _url_problems(url: str, key: str) -> list[str]:
    problem = url_problem(url)
    return [f"{key}: {problem}"] if problem else []


def _merge(base: dict, override: dict) -> dict:
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _lines(error: ValidationError, prefix: tuple) -> list[str]:
    lines = []
    for item in error.errors():
        path = ".".join(str(part) for part in (*prefix, *item["loc"]))
        message = item["msg"]
        if item["type"] == "extra_forbidden":
            message = "unknown key"
        lines.append(f"{path}: {message}")
    return lines
