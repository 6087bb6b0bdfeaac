"""The mapping file: what is accepted, and the one line that names a file that is not."""

from __future__ import annotations

import pytest

from sis_pipeline.config.mapping_file import (
    MappingFileError,
    MappingRow,
    parse_mapping,
    read_mapping_file,
)


def test_bom_blank_lines_spaces_and_spreadsheet_padding_are_ignored():
    text = "\ufeffold_host_id , New_Host_ID\r\n\r\n 1234 ,S1234\r\n,\r\nabc-7, S7 ,,\r\n\r\n"
    assert parse_mapping(text.encode("utf-8"), "m.csv") == [
        MappingRow(3, "1234", "S1234"),
        MappingRow(5, "abc-7", "S7"),
    ]


def test_columns_are_found_by_name_and_other_columns_ignored():
    # The proposals file, edited and sent back as it is.
    text = "member_type,new_host_id,tier,old_host_id\nstudent,S1,1,0001\nteacher,T2,3,\n"
    assert parse_mapping(text.encode(), "m.csv") == [
        MappingRow(2, "0001", "S1"),
        MappingRow(3, "", "T2"),  # an empty value is the reconciliation's to reject, per row
    ]


def test_a_header_only_file_is_an_empty_mapping():
    assert parse_mapping(b"old_host_id,new_host_id\n", "m.csv") == []


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b"", "m.csv: empty; the first line must be old_host_id,new_host_id"),
        (b"\n \n", "m.csv: empty; the first line must be old_host_id,new_host_id"),
        (b"1234,S1234\n", "m.csv: line 1: the header must name old_host_id and new_host_id"),
        (b"old_host_id,old_host_id,new_host_id\n", "m.csv: line 1: the header must name"),
        (b"old_host_id,new_host_id\n1,S1,extra\n", "m.csv: line 2: 3 values where the header"),
        (b"old_host_id,new_host_id\n\xff\xfe1,S1\n", "m.csv: not UTF-8 text (byte 25)"),
        (b'old_host_id,new_host_id\n"1"x,S1\n', "m.csv: line 2: not valid CSV"),
    ],
)
def test_a_malformed_file_is_one_line_naming_file_and_problem(data, problem):
    with pytest.raises(MappingFileError) as raised:
        parse_mapping(data, "m.csv")
    message = str(raised.value)
    assert message.startswith(problem)
    assert "\n" not in message


def test_a_missing_file_or_a_folder_is_named(tmp_path):
    with pytest.raises(MappingFileError, match=r"missing\.csv: mapping file not found$"):
        read_mapping_file(tmp_path / "missing.csv")
    with pytest.raises(MappingFileError, match="is a folder"):
        read_mapping_file(tmp_path)


def test_a_malformed_row_is_named_by_line_without_its_content():
    with pytest.raises(MappingFileError) as raised:
        parse_mapping(b"old_host_id,new_host_id\nada@example.org,S1,2010-05-06\n", "m.csv")
    assert "ada@example.org" not in str(raised.value)
    assert "2010-05-06" not in str(raised.value)
