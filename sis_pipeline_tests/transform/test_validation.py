"""The pandera roster contract, as an asset check would use it on `sync.roster`."""

from __future__ import annotations

import pandas as pd

from sis_pipeline.transform import validate_roster_frame


def frame(**changes) -> pd.DataFrame:
    base = {
        "host_id": ["S1", "T2", "P3"],
        "member_type": ["student", "teacher", "parent"],
        "first_name": ["Ada", "Tom", "Pat"],
        "last_name": ["Lovelace", "Teach", "Parent"],
        "email": [None, "t@x.org", None],
        "graduation_year": pd.array([2028, None, None], dtype="Int64"),
        "date_of_birth": ["2010-05-06", None, None],
        "gender": ["F", None, None],
        "grade_level": pd.array([10, None, None], dtype="Int64"),
        "source_id": ["1", "2", "3"],
    }
    base.update(changes)
    return pd.DataFrame(base)


def reasons(df: pd.DataFrame) -> list[tuple]:
    return [(f.host_id, f.reason) for f in validate_roster_frame(df)]


def test_a_valid_roster_passes():
    assert validate_roster_frame(frame()) == []


def test_each_field_rule():
    bad = frame(
        host_id=["S1", "T 2", "P3"],
        member_type=["student", "teacher", "guardian"],
        first_name=["x" * 101, "Tom", "Pat"],
        last_name=["Lovelace", "", "Parent"],
        email=["a@b@c", "t@x.org", None],
        graduation_year=pd.array([2101, 2028, None], dtype="Int64"),
        date_of_birth=["2010-02-30", None, "10-05-2010"],
        gender=["F" * 17, None, None],
        grade_level=pd.array([14, None, -3], dtype="Int64"),
    )
    assert sorted(reasons(bad), key=str) == sorted(
        [
            ("S1", "too_long:first_name"),
            ("S1", "invalid:email"),
            ("S1", "invalid:graduation_year"),
            ("S1", "invalid:date_of_birth"),
            ("S1", "too_long:gender"),
            ("S1", "invalid:grade_level"),
            ("T 2", "invalid:host_id"),
            ("T 2", "missing:last_name"),
            ("T 2", "invalid:graduation_year"),
            ("P3", "invalid:member_type"),
            ("P3", "invalid:date_of_birth"),
            ("P3", "invalid:grade_level"),
        ],
        key=str,
    )


def test_missing_values_and_duplicates():
    bad = frame(
        host_id=["S1", "S1", None],
        graduation_year=pd.array([None, None, None], dtype="Int64"),
        first_name=["Ada", None, "Pat"],
    )
    assert reasons(bad) == [
        ("S1", "duplicate:host_id"),
        ("S1", "missing:graduation_year"),
        ("S1", "duplicate:host_id"),
        ("S1", "missing:first_name"),
        (None, "missing:host_id"),
    ]


def test_failures_never_carry_personal_values():
    bad = frame(
        first_name=["Secretname" * 20, "Tom", "Pat"], gender=["Secretgender" * 2, None, None]
    )
    text = repr(validate_roster_frame(bad))
    assert "Secret" not in text
    assert "too_long:first_name" in text
