"""docs/schools-file.md is the models' reference: every key documented, none invented, current."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Literal

import pytest
from pydantic import BaseModel, ConfigDict, Field

from sis_pipeline.config import reference
from sis_pipeline.config.models import SchoolsFile

DOC = Path(__file__).resolve().parents[2] / "docs" / "schools-file.md"
KEY_CELL = re.compile(r"^\| `([^`]+)` \|", re.M)


def documented_keys(markdown: str) -> set[str]:
    """The key paths a reference page names in the first cell of its tables' rows."""
    return set(KEY_CELL.findall(markdown))


def model_keys(model: type[BaseModel]) -> set[str]:
    """Key paths read from pydantic's JSON schema of the model, independently of the generator."""
    schema = model.model_json_schema(by_alias=True)
    found: set[str] = set()
    _walk(schema, schema.get("$defs", {}), "", found)
    return found


def _walk(node: dict, defs: dict, path: str, found: set[str]) -> None:
    if "$ref" in node:
        node = defs[node["$ref"].rsplit("/", 1)[-1]]
    for option in node.get("anyOf", []) + node.get("allOf", []):
        _walk(option, defs, path, found)
    if isinstance(node.get("items"), dict):
        _walk(node["items"], defs, path + "[]", found)
    if isinstance(node.get("additionalProperties"), dict):
        _walk(node["additionalProperties"], defs, path + ".<key>", found)
    for name, child in node.get("properties", {}).items():
        key = f"{path}.{name}" if path else name
        found.add(key)
        _walk(child, defs, key, found)


def test_every_key_of_the_models_is_in_the_reference():
    missing = model_keys(SchoolsFile) - documented_keys(DOC.read_text(encoding="utf-8"))
    assert not missing, f"keys missing from {DOC.name}: {sorted(missing)}; regenerate it"


def test_the_reference_names_no_key_the_models_lack():
    unknown = documented_keys(DOC.read_text(encoding="utf-8")) - model_keys(SchoolsFile)
    assert not unknown, f"{DOC.name} names keys the models lack: {sorted(unknown)}"


def test_the_committed_reference_is_what_the_generator_renders():
    assert DOC.read_text(encoding="utf-8") == reference.render(), (
        "docs/schools-file.md is stale: "
        "python -m sis_pipeline.config.reference > docs/schools-file.md"
    )


def test_the_example_file_is_valid_and_shows_every_required_key():
    page = reference.render()
    for key in reference.reference_keys():
        row = next(line for line in page.splitlines() if line.startswith(f"| `{key.path}` |"))
        example = row.split(" | ")[3]
        if key.default == "required":
            assert example, f"{key.path}: required, but the example file leaves it out"


# A small schools file shaped like the keys other changes bring: a union with a literal, a
# list of models, a nested mapping under a dict of keys, dates.
class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", use_attribute_docstrings=True)


class _Window(_Strict):
    from_: dt.date = Field(default=dt.date(2027, 6, 20), alias="from")
    """First day."""
    reason: str = ""
    """Why."""


class _Slot(_Strict):
    weekday: Literal["monday", "friday"] = "monday"
    """Day."""


class _School(_Strict):
    schedule: _Slot | Literal["off"] = _Slot()
    """Weekly slot, or off."""
    pauses: list[_Window] = []
    """No runs then."""
    grades: _Window | None = None
    """Optional nested mapping."""


class _File(_Strict):
    schools: dict[str, _School]
    """Schools by key."""


def test_nested_models_unions_with_a_literal_lists_of_models_and_dict_keys():
    keys = {key.path: key for key in reference.reference_keys(_File)}
    assert set(keys) == {
        "schools",
        "schools.<key>.schedule",
        "schools.<key>.schedule.weekday",
        "schools.<key>.pauses",
        "schools.<key>.pauses[].from",
        "schools.<key>.pauses[].reason",
        "schools.<key>.grades",
        "schools.<key>.grades.from",
        "schools.<key>.grades.reason",
    }
    assert keys["schools.<key>.schedule"].type == "mapping or `off`"
    assert keys["schools.<key>.schedule"].default == "{weekday: monday}"
    assert keys["schools.<key>.pauses"].type == "list of mappings"
    assert keys["schools.<key>.pauses[].from"].type == "date (`YYYY-MM-DD`)"
    assert keys["schools.<key>.schedule.weekday"].type == "one of `monday`, `friday`"
    assert keys["schools.<key>.grades"].default == "not set"
    assert keys["schools"].default == "required"
    assert set(keys) == model_keys(_File)


def test_a_key_without_a_description_stops_the_rendering():
    class Undocumented(_Strict):
        documented: int = 1
        """Has one."""
        added_later: int = 2

    with pytest.raises(ValueError, match="added_later: no description"):
        reference.reference_keys(Undocumented)


def test_a_doc_missing_a_key_or_naming_a_stale_one_is_caught():
    page = reference.render()
    dropped = page.replace("| `schools.<key>.grades.to` |", "| grades to |")
    assert model_keys(SchoolsFile) - documented_keys(dropped) == {"schools.<key>.grades.to"}
    invented = page + "| `schools.<key>.colour` | string | `red` | | Not a key. |\n"
    assert documented_keys(invented) - model_keys(SchoolsFile) == {"schools.<key>.colour"}
