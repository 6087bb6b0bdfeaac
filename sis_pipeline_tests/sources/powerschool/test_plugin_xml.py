"""The generated plugin.xml: valid for PowerSchool, granting exactly what the sync reads."""

from __future__ import annotations

from xml.etree import ElementTree as ET

from sis_pipeline.sandbox.powerschool import PowerSchoolSimulator
from sis_pipeline.sources.powerschool.plugin_xml import NAMESPACE, plugin_xml
from sis_pipeline.sources.powerschool.settings import extraction_plan

SCHOOLS = """
lean:
  name: Lean School
  org_id: lean
  member_types: [student]
full:
  name: A School With A Rather Long Name Indeed
  org_id: full
  optional_fields: [date_of_birth, gender, email]
a_school_key_that_is_long_enough_to_overflow_the_name:
  name: Long
  org_id: long
"""


def grants(document: str) -> set[tuple[str, str]]:
    root = ET.fromstring(document)
    return {
        (f.get("table"), f.get("field"))
        for f in root.iter(f"{{{NAMESPACE}}}field")
        if f.get("access") == "ViewOnly"
    }


def test_grants_follow_the_settings_exactly(schools_file):
    config = schools_file(SCHOOLS)
    lean = grants(plugin_xml("lean", config.school("lean")))
    full = grants(plugin_xml("full", config.school("full")))
    assert ("STUDENTS", "DOB") not in lean and ("STUDENTS", "DOB") in full
    assert ("STUDENTS", "GENDER") in full and ("USERS", "EMAIL_ADDR") in full
    assert not {table for table, _ in lean} - {"STUDENTS"}
    for key in ("lean", "full"):
        plan = extraction_plan(config.school(key))
        expected = {(t.upper(), c.upper()) for t, columns in plan.items() for c in columns}
        assert grants(plugin_xml(key, config.school(key))) == expected


def test_plugin_is_accepted_by_powerschool_and_names_fit(schools_file):
    config = schools_file(SCHOOLS)
    for key in config.schools:
        document = plugin_xml(key, config.school(key))
        root = ET.fromstring(document)
        assert root.tag == f"{{{NAMESPACE}}}plugin"
        assert 1 <= len(root.get("name")) <= 40
        assert root.find(f"{{{NAMESPACE}}}oauth") is not None
        # The simulator validates plugin.xml as PowerSchool's install does.
        PowerSchoolSimulator({}, plugin_xml=document)
