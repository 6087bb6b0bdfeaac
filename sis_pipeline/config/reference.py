"""The schools-file reference (docs/schools-file.md), rendered from the models.

The models are the one source of truth: each field's docstring is its description, its
annotation its type, its default its default. `python -m sis_pipeline.config.reference >
docs/schools-file.md` regenerates the page; a test fails when the committed page differs.
A field without a docstring stops the rendering, so no key goes undocumented.
"""

from __future__ import annotations

import datetime as dt
import sys
import types
from dataclasses import dataclass
from typing import Annotated, Any, Literal, Union, get_args, get_origin

import yaml
from pydantic import BaseModel

from sis_pipeline.config.models import SchoolsFile

# Placeholder segments of key paths: a school's key, and "every item of a list".
SCHOOL_KEY_SEGMENT = "<key>"
ITEM_SEGMENT = "[]"

# A whole file, checked against the models whenever the page is rendered; each key's example
# column is read from it, so it shows every key that has no obvious default.
EXAMPLE = """\
platform:
  url: https://platform.example.com
  token_env: PLATFORM_API_TOKEN

notifications:
  smtp:
    host: smtp.example.org
    port: 587
    starttls: true
    username_env: SMTP_USERNAME
    password_env: SMTP_PASSWORD
  from: sis-pipeline@example.org
  operators: [data-team@example.org]
  dagster_url: https://dagster.example.org

defaults:
  member_types: [student, teacher, parent]

schools:
  riverdale:
    name: Riverdale High School
    org_id: riverdale-high
    powerschool:
      url: https://riverdale.powerschool.com
      client_id_env: RIVERDALE_PS_CLIENT_ID
      client_secret_env: RIVERDALE_PS_CLIENT_SECRET
      school_numbers: [100]
    member_types: [student, teacher, parent]
    student_id_field: student_number
    id_prefixes: {student: S, teacher: T, parent: P}
    grades: {from: 9, to: 12}
    optional_fields: [date_of_birth, gender, email]
    test_run: false
    safety:
      max_deactivations: {fraction: 0.1, minimum: 5}
    schedule: {weekday: monday, time: "06:00", timezone: America/New_York}
    notify: [ops@example.org]
    pauses:
      - {from: 2027-06-20, to: 2027-08-20, reason: summer break}
    reconciliation:
      auto_apply_top_tier: false
"""

HEADER = """\
# The schools file

<!-- Generated from sis_pipeline/config/models.py; do not edit by hand. Regenerate with:
     python -m sis_pipeline.config.reference > docs/schools-file.md -->

This page is generated from the configuration models (`sis_pipeline/config/models.py`) by
`python -m sis_pipeline.config.reference > docs/schools-file.md`. To change a description,
edit the field's docstring in the models and regenerate.

One YAML file lists the platform and every school the pipeline syncs. Its path is
`SIS_PIPELINE_CONFIG` (default `data/schools.yaml`). Secrets are never written in it: keys
ending in `_env` name the environment variable that holds the secret.

- Every key under `schools.<key>` may also be set under `defaults`, once for every school;
  a school's own value wins, and mappings merge key by key.
- Unknown keys, wrong types, a bad school key, two schools on one org, a missing
  environment variable or an `http://` URL to a host other than loopback are refused before
  anything runs: one line on standard error per mistake, naming its key path (e.g.
  `schools.riverdale.grades.from`; a mistake under `defaults` as `defaults.<key>`), exit 2.
- "Required" keys have no default; every other key may be left out.

## A complete example
"""


@dataclass(frozen=True)
class Key:
    """One key of the file: its dotted path, and how the page describes it."""

    path: str
    type: str
    default: str
    description: str
    section: type[BaseModel] | None  # the model of its value, when the value is a mapping


def reference_keys(model: type[BaseModel] = SchoolsFile, prefix: str = "") -> list[Key]:
    """Every key of the file under `model`, depth first, in the models' order."""
    found = []
    for name, field in model.model_fields.items():
        path = f"{prefix}{field.alias or name}"
        if not field.description:
            raise ValueError(f"{path}: no description; write a docstring under the field")
        annotation = field.annotation
        if field.is_required():
            default = "required"
        elif field.default is None:
            default = "not set"
        else:
            default = _inline(field.default)
        section, child = _nested(annotation, path)
        found.append(Key(path, _type(annotation), default, field.description, section))
        if section is not None:
            found += reference_keys(section, child + ".")
    return found


def render() -> str:
    """The whole reference page."""
    example = yaml.safe_load(EXAMPLE)
    SchoolsFile.model_validate(example)
    all_keys = reference_keys()
    lines = [HEADER, "```yaml", EXAMPLE.rstrip(), "```", ""]
    for title, members in _sections(all_keys):
        lines += [f"## {title}", "", "| key | type | default | example | meaning |"]
        lines += ["|---|---|---|---|---|"]
        for key in members:
            shown = _example(example, key)
            cells = [f"`{key.path}`", key.type, _code(key.default), shown, key.description]
            lines.append("| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |")
        lines.append("")
    return "\n".join(lines)


def _sections(all_keys: list[Key]) -> list[tuple[str, list[Key]]]:
    """Top-level keys first, then one section per mapping, in the order they appear."""
    groups: dict[str, list[Key]] = {}
    for key in all_keys:
        groups.setdefault(_parent(key.path), []).append(key)
    return [
        (f"`{parent}`" if parent else "Top level", members) for parent, members in groups.items()
    ]


def _parent(path: str) -> str:
    return path.rsplit(".", 1)[0] if "." in path else ""


def _nested(annotation: Any, path: str) -> tuple[type[BaseModel] | None, str]:
    """The model a key's value is (or contains, in a union, list or mapping), and the path
    under which its keys are named."""
    annotation = _strip(annotation)
    origin = get_origin(annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation, path
    if origin in (Union, types.UnionType):
        for option in get_args(annotation):
            model, child = _nested(option, path)
            if model is not None:
                return model, child
    if origin is list:
        return _nested(get_args(annotation)[0], path + ITEM_SEGMENT)
    if origin is dict:
        return _nested(get_args(annotation)[1], f"{path}.{SCHOOL_KEY_SEGMENT}")
    return None, path


def _strip(annotation: Any) -> Any:
    while get_origin(annotation) is Annotated:
        annotation = get_args(annotation)[0]
    return annotation


_PLURALS = ("string", "integer", "number", "boolean", "mapping")


def _type(annotation: Any) -> str:
    annotation = _strip(annotation)
    origin = get_origin(annotation)
    if origin in (Union, types.UnionType):
        options = [_type(option) for option in get_args(annotation) if option is not type(None)]
        return " or ".join(options)
    if origin is Literal:
        values = [f"`{value}`" for value in get_args(annotation)]
        return values[0] if len(values) == 1 else "one of " + ", ".join(values)
    if origin is list:
        item = _type(get_args(annotation)[0])
        return f"list of {item}s" if item in _PLURALS else f"list, each {item}"
    if origin is dict or annotation is dict:
        args = get_args(annotation)
        if args and _nested(args[1], "")[0] is not None:
            return "mapping of keys to mappings"
        return "mapping"
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return "mapping"
    names = {str: "string", int: "integer", float: "number", bool: "boolean"}
    names |= {dt.date: "date (`YYYY-MM-DD`)", dt.time: "time (`HH:MM`)"}
    return names.get(annotation, getattr(annotation, "__name__", str(annotation)))


def _inline(value: Any) -> str:
    if isinstance(value, BaseModel):
        value = value.model_dump(by_alias=True, mode="json")
    text = yaml.safe_dump(value, default_flow_style=True, width=1000, sort_keys=False)
    return text.removesuffix("\n").removesuffix("\n...").strip()


def _example(example: dict, key: Key) -> str:
    """The key's value in the example file, or "" when the example leaves it out."""
    if key.section is not None:
        return "below"
    node: Any = example
    for segment in key.path.split("."):
        if segment.endswith(ITEM_SEGMENT):
            segment = segment.removesuffix(ITEM_SEGMENT)
            node = node.get(segment) if isinstance(node, dict) else None
            node = node[0] if isinstance(node, list) and node else None
        elif segment == SCHOOL_KEY_SEGMENT and isinstance(node, dict) and node:
            node = next(iter(node.values()))
        else:
            node = node.get(segment) if isinstance(node, dict) else None
        if node is None:
            return ""
    return _code(_inline(node))


def _code(text: str) -> str:
    return f"`{text}`" if text and text not in ("required", "not set") else text


if __name__ == "__main__":
    sys.stdout.write(render())
