"""A page of the table API as Arrow text columns: the careful reader's rules, column by column."""

from __future__ import annotations

import pytest

from sis_pipeline.sources.powerschool.pages import (
    PageError,
    key_texts,
    page_rows,
    page_table,
    rows_table,
)


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


def test_rows_of_several_pages_become_one_table_by_the_same_rules():
    first = page_rows([record({"dcid": "1", "last_name": ""})], "students", ["dcid", "last_name"])
    second = page_rows(
        [{"tables": {"STUDENTS": {"DCID": 2, "LAST_NAME": "Lee"}}}],
        "students",
        ["dcid", "last_name"],
    )
    table = rows_table(first + second, ["dcid", "last_name"])
    assert table.to_pylist() == [
        {"dcid": "1", "last_name": None},
        {"dcid": "2", "last_name": "Lee"},
    ]


def test_keys_read_as_the_table_holds_them():
    rows = [{"dcid": "5"}, {"dcid": 6}, {"dcid": 7.0}, {"dcid": ""}, {}]
    assert key_texts(rows, "dcid") == ["5", "6", "7", None, None]
