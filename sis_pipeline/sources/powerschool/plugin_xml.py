"""The PowerSchool plugin.xml a school installs: OAuth credentials and read-only grants for
exactly the columns the sync reads with that school's settings (no more, no less)."""

from __future__ import annotations

from xml.etree import ElementTree as ET

from sis_pipeline.config.models import SchoolSettings
from sis_pipeline.sources.powerschool.settings import extraction_plan

NAMESPACE = "http://plugin.powerschool.pearson.com"
MAX_NAME = 40


def plugin_name(school_key: str) -> str:
    return f"SIS Pipeline {school_key}"[:MAX_NAME]


def plugin_xml(school_key: str, school: SchoolSettings, version: str = "1.0.0") -> str:
    ET.register_namespace("", NAMESPACE)
    root = ET.Element(
        f"{{{NAMESPACE}}}plugin",
        {
            "name": plugin_name(school_key),
            "version": version,
            "description": f"Read-only roster access for the weekly sync of {school.name}"[:256],
        },
    )
    # accessLevelV1Api stays off: the sync reads the table API, plus /ws/v1/metadata,
    # which PowerSchool answers without it.
    ET.SubElement(root, f"{{{NAMESPACE}}}oauth")
    publisher = ET.SubElement(root, f"{{{NAMESPACE}}}publisher", {"name": "sis-pipeline"})
    ET.SubElement(publisher, f"{{{NAMESPACE}}}contact", {"email": "roster-sync@example.org"})
    access = ET.SubElement(root, f"{{{NAMESPACE}}}access_request")
    for table, columns in extraction_plan(school).items():
        for column in columns:
            ET.SubElement(
                access,
                f"{{{NAMESPACE}}}field",
                {"table": table.upper(), "field": column.upper(), "access": "ViewOnly"},
            )
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
