"""What the simulator accepts as data, and swapping the data while it runs."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from sis_pipeline.sandbox.powerschool import PowerSchoolSimulator
from sis_pipeline.sandbox.powerschool.table_data import prepare_table
from sis_pipeline.sandbox.powerschool_schema import TABLES

from .sample_district import sample_tables
from .ws_client import WsClient

STUDENTS = TABLES["students"]


def test_set_tables_swaps_data_for_the_next_request(
    sim: PowerSchoolSimulator, ws: WsClient
) -> None:
    assert ws.get("/ws/schema/table/students/count").json() == {"count": 7}
    next_week = sample_tables()
    next_week["students"] = next_week["students"].iloc[:2]
    sim.set_tables(next_week)
    assert ws.get("/ws/schema/table/students/count").json() == {"count": 2}
    assert [r["id"] for r in ws.rows("students", projection="dcid")] == [101, 105]


def test_cached_filters_do_not_outlive_the_data(sim: PowerSchoolSimulator, ws: WsClient) -> None:
    before = ws.rows("students", projection="dcid", q="enroll_status==0")
    assert [r["id"] for r in before] == [101, 102, 105]
    changed = sample_tables()
    changed["students"]["enroll_status"] = 0
    sim.set_tables(changed)
    after = ws.rows("students", projection="dcid", q="enroll_status==0", page=3)
    assert [r["id"] for r in after] == [107]


def test_mixed_input_types_are_normalised() -> None:
    frame = pd.DataFrame(
        {
            "DCID": np.array([2.0, 1.0]),
            "grade_level": ["9", "10"],
            "dob": [dt.date(2008, 3, 14), pd.NaT],
            "entrydate": pd.to_datetime(["2024-08-26", "2024-09-03"]),
            "home_room": [101, None],
            "schoolid": ["", "100"],
            "exitdate": pd.Series(["2025-06-01", ""], dtype="string"),
        }
    )
    table = prepare_table(STUDENTS, frame)
    assert table.ids.tolist() == [1, 2]
    assert table.frame["grade_level"].tolist() == [10.0, 9.0]
    assert table.frame["dob"].isna().tolist() == [True, False]
    assert table.frame["dob"].iloc[1] == "2008-03-14"
    assert table.frame["entrydate"].tolist() == ["2024-09-03", "2024-08-26"]
    assert table.frame["home_room"].iloc[1] == "101"
    assert table.frame["schoolid"].tolist()[0] == 100.0
    assert np.isnan(table.frame["schoolid"].iloc[1])
    assert table.frame["exitdate"].isna().tolist() == [True, False]


@pytest.mark.parametrize(
    ("tables", "problem"),
    [
        ({"teachers": pd.DataFrame({"dcid": [1]})}, "unknown PowerSchool tables"),
        ({"students": pd.DataFrame({"dcid": [1], "email": ["x"]})}, "unknown columns"),
        ({"students": pd.DataFrame({"dcid": [1, 1]})}, "duplicate primary key"),
        ({"students": pd.DataFrame({"dcid": [1, None]})}, "whole numbers"),
        ({"students": pd.DataFrame({"dcid": [1.5]})}, "whole numbers"),
        ({"students": pd.DataFrame({"dcid": [1], "grade_level": ["ten"]})}, "non-numeric"),
        ({"students": pd.DataFrame({"dcid": [1], "dob": ["03/14/2008"]})}, "not YYYY-MM-DD"),
    ],
)
def test_bad_data_is_refused_at_load(tables: dict, problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        PowerSchoolSimulator(tables)


def test_url_before_start_is_an_error() -> None:
    simulator = PowerSchoolSimulator({})
    with pytest.raises(RuntimeError):
        _ = simulator.url
    assert simulator.start().startswith("http://127.0.0.1:")
    simulator.stop()
