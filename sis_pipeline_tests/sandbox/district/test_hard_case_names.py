"""Hard cases in names: accents, apostrophes, hyphens, other scripts, stray spaces, NFD,
over-long names, for students, parents and staff, checked on the data itself."""

from __future__ import annotations

import unicodedata

import pytest

from sis_pipeline.sandbox.district import CASE_TABLES, District

from .roster_rules import normalise, rows

KEYS = {"students": "dcid", "person": "id", "users": "dcid"}
NAME_COLUMNS = {
    "students": ("first_name", "last_name"),
    "person": ("firstname", "lastname"),
    "users": ("first_name", "last_name"),
}


def names(d: District, case: str) -> list[tuple[str | None, str | None]]:
    table = CASE_TABLES[case]
    found = rows(d.tables[table], KEYS[table], d.hard_cases[case])
    assert len(found) == len(d.hard_cases[case]) > 0, case
    first, last = NAME_COLUMNS[table]
    return list(zip(found[first], found[last], strict=True))


def _scripts(text: str) -> set[str]:
    return {unicodedata.name(c).split()[0] for c in text if c.isalpha()}


def test_every_case_is_recorded_and_points_at_rows(district: District):
    assert set(CASE_TABLES) <= set(district.hard_cases)
    for case, table in CASE_TABLES.items():
        ids = district.hard_cases[case]
        assert ids, case
        if table == "emailaddress":
            assert set(ids) <= set(district.tables[table].emailaddressid), case
        elif table != "id_overlap":
            assert set(ids) <= set(district.tables[table][KEYS[table]]), case


def test_accents_are_precomposed_non_ascii(district: District):
    for first, last in names(district, "accents"):
        text = first + last
        assert not text.isascii()
        assert unicodedata.normalize("NFC", text) == text


@pytest.mark.parametrize(("case", "mark"), [("apostrophe", "'"), ("hyphen", "-")])
def test_apostrophes_and_hyphens(district: District, case: str, mark: str):
    assert all(mark in last and mark in first for first, last in names(district, case))


def test_staff_apostrophe(district: District):
    assert all("'" in last for _, last in names(district, "staff_apostrophe"))


@pytest.mark.parametrize("case", ["non_latin", "parent_non_latin", "staff_non_latin"])
def test_names_in_other_scripts(district: District, case: str):
    for first, last in names(district, case):
        assert "LATIN" not in _scripts(first + last), (case, first, last)
    if case == "parent_non_latin":
        scripts = {s for f, last in names(district, case) for s in _scripts(f + last)}
        assert {"CYRILLIC", "ARABIC"} <= scripts


@pytest.mark.parametrize("case", ["stray_spaces", "parent_stray_spaces", "staff_stray_spaces"])
def test_stray_spaces(district: District, case: str):
    for first, last in names(district, case):
        both = [first, last]
        assert any(n != n.strip() for n in both), both
        assert any("  " in n.strip() for n in both), both
        assert all(normalise(n) and normalise(n) != n for n in both if n != n.strip())


@pytest.mark.parametrize("case", ["nfd", "parent_nfd", "staff_nfd"])
def test_decomposed_names_change_under_nfc(district: District, case: str):
    for first, last in names(district, case):
        changed = [n for n in (first, last) if unicodedata.normalize("NFC", n) != n]
        assert changed, (first, last)
        assert all(len(unicodedata.normalize("NFC", n)) < len(n) for n in changed)


def test_long_names_around_the_limit(district: District):
    [(_, long_last)] = names(district, "long_name")
    assert len(normalise(long_last)) > 100
    [(_, last_100)] = names(district, "name_100_after_normalising")
    assert len(normalise(last_100)) == 100 < len(last_100)


def test_missing_last_names(district: District):
    assert names(district, "last_name_null")[0][1] is None
    assert names(district, "last_name_empty")[0][1] == ""


def test_same_name_parents_are_two_people(district: District):
    pairs = names(district, "same_name_parents")
    assert len(pairs) == 2 and pairs[0] == pairs[1]
    assert len(set(district.hard_cases["same_name_parents"])) == 2


def test_students_own_person_rows_carry_their_names(district: District):
    students, persons = district.tables["students"], district.tables["person"]
    own = persons.set_index("id").loc[students.person_id.astype(int)]
    for source, target in [("first_name", "firstname"), ("last_name", "lastname")]:
        assert list(own[target]) == list(students[source])
