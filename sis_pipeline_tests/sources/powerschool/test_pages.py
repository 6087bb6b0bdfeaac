"""A page of the table API as Arrow text columns: the careful reader's rules, column by column."""

from __future__ import annotations

import pytest

from sis_pipeline.sources.powerschool.pages import PageError, page_table


def record(values: dict, table: str = "students") -> dict:
    return {"id": 1, "name": table, "tables": {table: values}}


def test_text_stays_text_and_empty_or_missing_is_null():
    page = page_table(
        [record({"dcid": "1", "last_name": ""}), record({"dcid": "2", "last_name": "Lee"})],
        "students",
        ["dcid", "last_name", "first_name"],
    )
    assert page.to_pylist() == [
        {"dcid": "1", "last_name": None, "first_name": None},
        {"dcid": "2", "last_name": "Lee", "first_name": None},
    ]


def test_numbers_and_booleans_read_as_their_text():
    page = page_table(
        [record({"dcid": 7.0, "grade_level": 9}), record({"dcid": 8.5, "grade_level": True})],
        "students",
        ["dcid", "grade_level"],
    )
    assert page.column("dcid").to_pylist() == ["7", "8.5"]
    assert page.column("grade_level").to_pylist() == ["9", "True"]


def test_table_and_column_keys_in_any_case():
    page = page_table(
        [{"tables": {"STUDENTS": {"DCID": "3", "Last_Name": "Kim"}}}],
        "students",
        ["dcid", "last_name"],
    )
    assert page.to_pylist() == [{"dcid": "3", "last_name": "Kim"}]


@pytest.mark.parametrize(
    ("records", "message"),
    [([{"id": 1}], "no tables object"), ([{"tables": {"users": {}}}], "lacks its students")],
)
def test_a_record_of_the_wrong_shape_is_named(records, message):
    with pytest.raises(PageError, match=message):
        page_table(records, "students", ["dcid"])
