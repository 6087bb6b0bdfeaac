"""Mapping rows: each kind of bad row is rejected with its reason, the valid rows still apply."""

from __future__ import annotations

from sis_pipeline.config.mapping_file import MappingRow
from sis_pipeline.transform.reconciliation import (
    build_reconciliation,
    record_renames,
    rename_operations,
)
from sis_pipeline_tests.transform.raw_tables import (
    rows,
    school_settings,
    write_platform_users,
    write_roster,
)


def person(host_id: str, member_type: str = "student", **fields) -> dict:
    user = {
        "host_id": host_id,
        "member_type": member_type,
        "first_name": f"First{host_id}",
        "last_name": "Last",
        "graduation_year": 2028 if member_type == "student" else None,
    }
    return {**user, **fields}


def mapping(*pairs: tuple[str, str]) -> list[MappingRow]:
    return [MappingRow(line, old, new) for line, (old, new) in enumerate(pairs, start=2)]


def reconcile(con, pairs, roster, platform, **settings):
    write_roster(con, [person(h) if isinstance(h, str) else h for h in roster])
    write_platform_users(con, [person(h) if isinstance(h, str) else h for h in platform])
    summary = build_reconciliation(con, school_settings(**settings), mapping(*pairs))
    rejected = rows(con, "SELECT line, reason FROM sync.mapping_rejections ORDER BY line")
    plan = rows(con, "SELECT old_host_id, new_host_id, source FROM sync.rename_plan")
    return summary, dict(rejected), plan


def test_each_kind_of_bad_row_is_rejected_and_the_valid_rows_still_apply(con):
    roster = [f"S{n}" for n in range(1, 14)]
    platform = [
        "1", "2", "4", "44", "7", "S7", "8", "x1", "x2", "c8", "c9", "S12", "S13",
        person("11", "teacher"),
    ]  # fmt: skip
    summary, rejected, plan = reconcile(
        con,
        [
            ("1", "S1"),  # 2: valid
            ("2", "S2"),  # 3: old ID twice
            ("2", "S3"),  # 4
            ("4", "S4"),  # 5: new ID twice
            ("44", "S4"),  # 6
            ("8", "S99"),  # 7: not a roster member
            ("6x", "S6"),  # 8: no such account
            ("7", "S7"),  # 9: S7 is another account
            ("c8", "c9"),  # 10: a chain c8 -> c9 -> S9
            ("c9", "S9"),  # 11
            ("x1", "x2"),  # 12: a cycle
            ("x2", "x1"),  # 13
            ("bad id!", "S10"),  # 14: not a host ID
            ("11", "S11"),  # 15: a teacher's account for a student
            ("12", "S12"),  # 16: renamed before: nothing to do, nothing wrong
            ("S13", "S13"),  # 17: already the new ID
            (" ", "S5"),  # 18: empty old ID
        ],
        roster,
        platform,
    )
    assert rejected == {
        3: "duplicate_old_id",
        4: "duplicate_old_id",
        5: "duplicate_new_id",
        6: "duplicate_new_id",
        7: "new_id_not_in_roster",
        8: "old_id_not_on_platform",
        9: "new_id_taken",
        10: "chain",
        11: "chain",
        12: "cycle",
        13: "cycle",
        14: "invalid_host_id",
        15: "member_type_mismatch",
        18: "invalid_host_id",
    }
    assert plan == [("1", "S1", "mapping")]
    assert summary.rejected == 14 and summary.already_renamed == 2 and summary.renames == 1
    assert summary.rejected_by_reason["duplicate_old_id"] == 2
    assert rename_operations(con) == [
        {
            "host_id": "1",
            "action": "rename",
            "operation": {"op": "change_host_id", "host_id": "1", "new_host_id": "S1"},
        }
    ]


def test_longer_cycles_and_chains_reject_every_row(con):
    _, rejected, plan = reconcile(
        con,
        [("a", "b"), ("b", "c"), ("c", "a"), ("p", "q"), ("q", "r"), ("r", "S1"), ("z", "S2")],
        ["S1", "S2"],
        ["a", "b", "c", "p", "q", "r", "z"],
    )
    assert rejected == {2: "cycle", 3: "cycle", 4: "cycle", 5: "chain", 6: "chain", 7: "chain"}
    assert plan == [("z", "S2", "mapping")]


def test_an_inactive_old_account_is_renamed_like_an_active_one(con):
    _, rejected, plan = reconcile(
        con, [("0042", "S42")], ["S42"], [person("0042", status="inactive")]
    )
    assert rejected == {} and plan == [("0042", "S42", "mapping")]


def test_the_plan_id_follows_the_plan_and_applied_renames_move_in_the_listing(con):
    first, _, _ = reconcile(con, [("1", "S1"), ("2", "S2")], ["S1", "S2"], ["1", "2"])
    again, _, _ = reconcile(con, [("2", "S2"), ("1", "S1")], ["S1", "S2"], ["1", "2"])
    other, _, _ = reconcile(con, [("1", "S1")], ["S1", "S2"], ["1", "2"])
    assert first.plan_id == again.plan_id != other.plan_id
    record_renames(con, [("1", "S1")])
    assert rows(con, "SELECT host_id FROM sync.platform_users ORDER BY 1") == [("2",), ("S1",)]
    # Run again on the platform as it now is: the row is done, not rejected.
    summary = build_reconciliation(con, school_settings(), mapping(("1", "S1")))
    assert (summary.renames, summary.already_renamed, summary.rejected) == (0, 1, 0)
