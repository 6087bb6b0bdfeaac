"""The manual in docs/ matches the code: the plugin's grant table, links, cited sections."""

from __future__ import annotations

import itertools
import re
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from sis_pipeline.config.models import SchoolSettings
from sis_pipeline.sources.powerschool.plugin_xml import NAMESPACE, plugin_xml

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
PAGES = sorted(DOCS.glob("*.md")) + [ROOT / "README.md"]
GRANT_ROW = re.compile(r"^\| `([A-Z_]+)` \| `([A-Z_]+)` \| ([^|]+) \|", re.M)

# The "requested when" column of docs/onboarding.md, as conditions on a school's settings.
WHEN = {
    "always": lambda s: True,
    "`date_of_birth` synced": lambda s: "date_of_birth" in s.optional_fields,
    "`gender` synced": lambda s: "gender" in s.optional_fields,
    "teachers synced": lambda s: "teacher" in s.member_types,
    "teachers and `email` synced": lambda s: "teacher" in s.member_types and s.syncs_email,
    "parents synced": lambda s: "parent" in s.member_types,
    "`email` synced for students or parents": lambda s: (
        s.syncs_email and bool({"student", "parent"} & set(s.member_types))
    ),
}


def grant_table() -> dict[tuple[str, str], str]:
    text = (DOCS / "onboarding.md").read_text(encoding="utf-8")
    return {(table, field): when.strip() for table, field, when in GRANT_ROW.findall(text)}


def granted(school: SchoolSettings) -> set[tuple[str, str]]:
    root = ET.fromstring(plugin_xml("school", school))
    fields = root.iter(f"{{{NAMESPACE}}}field")
    return {(field.get("table"), field.get("field")) for field in fields}


def settings_variants() -> list[SchoolSettings]:
    types = ["student", "teacher", "parent"]
    optional = ["date_of_birth", "gender", "email"]
    variants = []
    for n, m in itertools.product(range(1, 4), range(4)):
        for members, fields in itertools.product(
            itertools.combinations(types, n), itertools.combinations(optional, m)
        ):
            variants.append(
                SchoolSettings(
                    name="School",
                    org_id="org",
                    powerschool={
                        "url": "https://ps.example.org",
                        "client_id_env": "ID",
                        "client_secret_env": "SECRET",
                    },
                    member_types=list(members),
                    optional_fields=list(fields),
                )
            )
    return variants


def test_the_onboarding_grant_table_says_when_each_field_is_granted():
    table = grant_table()
    assert set(table.values()) <= set(WHEN), set(table.values()) - set(WHEN)
    for school in settings_variants():
        documented = {key for key, when in table.items() if WHEN[when](school)}
        assert documented == granted(school), (school.member_types, school.optional_fields)


def test_the_grant_table_lists_every_field_the_plugin_can_ask_for():
    everything = set().union(*(granted(school) for school in settings_variants()))
    assert set(grant_table()) == everything


def _anchor(heading: str) -> str:
    """The anchor a code host gives a heading."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.name)
def test_links_between_pages_resolve(page):
    text = page.read_text(encoding="utf-8")
    for target in re.findall(r"\]\(([^)\s]+)\)", text):
        if target.startswith(("http://", "https://")):
            continue
        path, _, anchor = target.partition("#")
        linked = (page.parent / path).resolve() if path else page
        assert linked.is_file(), f"{page.name}: link to a missing file {target}"
        if anchor:
            headings = re.findall(r"^#+ (.+)$", linked.read_text(encoding="utf-8"), re.M)
            assert anchor in {_anchor(h) for h in headings}, f"{page.name}: no anchor {target}"


def test_sections_the_code_cites_exist():
    cited = set()
    for path in itertools.chain(*((ROOT / "sis_pipeline").rglob(g) for g in ("*.py", "*.sql"))):
        text = path.read_text(encoding="utf-8")
        assert "interface.md" not in text, f"{path.name} cites a document outside the repository"
        for page, sections in re.findall(r"docs/([\w-]+\.md), ((?:\"[^\"]+\"(?: and )?)+)", text):
            cited |= {(page, section) for section in re.findall(r"\"([^\"]+)\"", sections)}
    assert cited, "the code cites no section of the manual"
    for page, section in cited:
        headings = re.findall(r"^#+ (.+)$", (DOCS / page).read_text(encoding="utf-8"), re.M)
        assert section in headings, f"docs/{page} has no section {section!r}"
