"""plugin.xml texts for the grant tests, written the way a district would install them."""

from __future__ import annotations

HEADER = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<plugin xmlns="http://plugin.powerschool.pearson.com"'
    ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
    ' xsi:schemaLocation="http://plugin.powerschool.pearson.com plugin.xsd"'
    ' name="Roster Sync" version="1.0.0" description="Read-only roster access">\n'
    '  <publisher name="Example Org"><contact email="support@example.org"/></publisher>\n'
)


def plugin_xml(*fields: tuple[str, str, str], oauth: str | None = "<oauth/>") -> str:
    lines = [HEADER]
    if oauth:
        lines.append(f"  {oauth}\n")
    lines.append("  <access_request>\n")
    lines += [f'    <field table="{t}" field="{f}" access="{a}"/>\n' for t, f, a in fields]
    lines.append("  </access_request>\n</plugin>\n")
    return "".join(lines)


STUDENT_NAMES = plugin_xml(
    ("STUDENTS", "DCID", "ViewOnly"),
    ("Students", "First_Name", "ViewOnly"),
    ("students", "last_name", "FullAccess"),
)
