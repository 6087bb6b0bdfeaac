"""Load and check the schools file; every mistake becomes one line naming its key path."""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Hashable
from dataclasses import dataclass
from pathlib import Path

import yaml
from pydantic import ValidationError

from sis_pipeline.config.models import (
    SCHOOL_KEY,
    NotificationSettings,
    PlatformSettings,
    SchoolSettings,
    SchoolsFile,
)
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
    notifications: NotificationSettings | None = None

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

    def construct_yaml_timestamp(self, node: yaml.ScalarNode):
        # 2027-02-30 looks like a date to YAML, which then fails with a bare ValueError.
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError as error:
            raise yaml.constructor.ConstructorError(
                None, None, f"bad date {node.value!r}: {error}", node.start_mark
            ) from None


_UniqueKeyLoader.add_constructor(
    "tag:yaml.org,2002:timestamp", _UniqueKeyLoader.construct_yaml_timestamp
)


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
        if not isinstance(key, str) or not SCHOOL_KEY.fullmatch(key):
            shown = key if isinstance(key, str) and key.isprintable() else repr(key)
            problems.append(f"schools.{shown}: bad school key, expected [a-z0-9_]{{1,64}}")
            continue
        if not isinstance(body, dict):
            problems.append(f"schools.{key}: must be a mapping")
            continue
        try:
            school = SchoolSettings.model_validate(_merge(defaults, body))
        except ValidationError as error:
            for loc, message in _problems(error):
                _add_once(problems, _line((*_owner(loc, defaults, body, key), *loc), message))
            continue
        url = ("powerschool", "url")
        problem = url_problem(school.powerschool.url)
        if problem:
            _add_once(problems, _line((*_owner(url, defaults, body, key), *url), problem))
        schools[key] = school
    problems += _shared_orgs(schools)
    if top is not None:
        problems += _url_problems(top.platform.url, "platform.url")
    if problems:
        raise ConfigError(problems)
    assert top is not None
    return SchoolsConfig(platform=top.platform, schools=schools, notifications=top.notifications)


def require_secrets(config: SchoolsConfig, school_key: str) -> None:
    """Check that every env var the school's sync reads is set to a usable value (names only,
    never values)."""
    school = config.school(school_key)
    powerschool = f"schools.{school_key}.powerschool"
    wanted = [
        ("platform.token_env", config.platform.token_env),
        (f"{powerschool}.client_id_env", school.powerschool.client_id_env),
        (f"{powerschool}.client_secret_env", school.powerschool.client_secret_env),
    ]
    smtp = config.notifications.smtp if config.notifications else None
    if smtp and smtp.username_env and smtp.password_env:
        wanted += [
            ("notifications.smtp.username_env", smtp.username_env),
            ("notifications.smtp.password_env", smtp.password_env),
        ]
    problems = [
        f"{path}: environment variable {name} {problem}"
        for path, name in wanted
        if (problem := _secret_problem(os.environ.get(name)))
    ]
    if problems:
        raise ConfigError(problems)


def _secret_problem(value: str | None) -> str | None:
    """What is wrong with a secret's value, in words that never repeat it.

    A secret mounted from a file often ends in a newline; sent in a header, it would break
    the request and travel into error messages, so it is refused here, named, never shown.
    """
    if not value:
        return "is not set"
    if value != value.strip():
        return "has white space around its value"
    if any(unicodedata.category(c).startswith("C") for c in value):
        return "has control characters in its value"
    return None


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
    return [_line((*prefix, *loc), message) for loc, message in _problems(error)]


def _problems(error: ValidationError) -> list[tuple[tuple, str]]:
    """(location in the validated mapping, message) per problem."""
    problems = []
    for item in error.errors():
        message = item["msg"].removeprefix("Value error, ")
        if item["type"] == "extra_forbidden":
            message = "unknown key"
        problems.append((tuple(item["loc"]), message))
    return problems


def _line(path: tuple, message: str) -> str:
    return f"{'.'.join(str(part) for part in path)}: {message}"


def _owner(loc: tuple, defaults: dict, body: dict, key: str) -> tuple:
    """Where the value at `loc` of a school's merged settings came from: a mistake under
    `defaults` is named once, as `defaults.<key>`, not once per school."""
    if _holds(body, loc) or not _holds(defaults, loc):
        return ("schools", key)
    return ("defaults",)


def _holds(tree: object, loc: tuple) -> bool:
    for part in loc:
        in_dict = isinstance(tree, dict) and part in tree
        in_list = isinstance(tree, list) and isinstance(part, int) and 0 <= part < len(tree)
        if not (in_dict or in_list):
            return False
        tree = tree[part]
    return True


def _add_once(problems: list[str], line: str) -> None:
    if line not in problems:
        problems.append(line)
