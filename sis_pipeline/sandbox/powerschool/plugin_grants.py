"""What an installed plugin.xml lets the API caller read, checked the way an install is.

PowerSchool validates a plugin at install: the root must be a `plugin` in the PowerSchool
namespace with a `name` and a `publisher`, and every `access_request` field must name a
real table and column, or the plugin cannot be enabled. The simulator refuses the same
plugins with `PluginRejected`, so a generated plugin.xml is checked before it is shipped.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass

from ..powerschool_schema import TABLES

NS = "http://plugin.powerschool.pearson.com"
_ACCESS_LEVELS = {"viewonly", "fullaccess"}  # FullAccess is taken to include read
_V1_LEVELS = {"NONE", "READ", "FULL"}
_SINGLE_CHILDREN = ("publisher", "oauth", "access_request")


class PluginRejected(ValueError):
    """The plugin.xml would fail PowerSchool's install validation."""


@dataclass(frozen=True)
class PluginGrants:
    readable: frozenset[tuple[str, str]] | None  # (table, column) lower-case; None = all
    has_oauth: bool = True
    v1_access: str = "READ"

    @classmethod
    def everything(cls) -> PluginGrants:
        return cls(readable=None)

    def can_read(self, table: str, column: str) -> bool:
        return self.readable is None or (table, column) in self.readable


def _q(tag: str) -> str:
    return f"{{{NS}}}{tag}"


def parse_plugin_xml(text: str) -> PluginGrants:
    try:
        root = ET.fromstring(text)
    except ET.ParseError as exc:
        raise PluginRejected(f"plugin.xml is not well-formed XML: {exc}") from None
    if root.tag != _q("plugin"):
        raise PluginRejected(f"root element must be plugin in namespace {NS}, got {root.tag}")
    name = root.get("name", "")
    if not 1 <= len(name) <= 40:
        raise PluginRejected("plugin name is required and must be 1-40 characters")
    for child in _SINGLE_CHILDREN:
        if len(root.findall(_q(child))) > 1:
            raise PluginRejected(f"element {child} may appear at most once")
    publisher = root.find(_q("publisher"))
    if publisher is None or not publisher.get("name"):
        raise PluginRejected("a publisher element with a name is required")
    oauth = root.find(_q("oauth"))
    v1_access = "NONE" if oauth is None else oauth.get("accessLevelV1Api", "NONE").upper()
    if v1_access not in _V1_LEVELS:
        raise PluginRejected(f"accessLevelV1Api must be one of {sorted(_V1_LEVELS)}")
    readable: set[tuple[str, str]] = set()
    access_request = root.find(_q("access_request"))
    fields = [] if access_request is None else access_request.findall(_q("field"))
    for element in fields:
        readable.add(_field_grant(element))
    return PluginGrants(frozenset(readable), has_oauth=oauth is not None, v1_access=v1_access)


def _field_grant(element: ET.Element) -> tuple[str, str]:
    table = element.get("table", "")
    column = element.get("field", "")
    access = element.get("access", "")
    if not table or not column or len(table) > 30 or len(column) > 30:
        raise PluginRejected("field needs table and field attributes of at most 30 characters")
    if access.lower() not in _ACCESS_LEVELS:
        raise PluginRejected(f"{table} {column}: access must be ViewOnly or FullAccess")
    schema = TABLES.get(table.lower())
    if schema is None:
        raise PluginRejected(f"{table}: Invalid Table")
    if column.lower() not in schema.columns:
        raise PluginRejected(f"{table} {column}: Invalid Column")
    return table.lower(), column.lower()
