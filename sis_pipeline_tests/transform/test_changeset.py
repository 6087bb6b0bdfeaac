"""What the sync would do to each platform user."""

from __future__ import annotations

import hashlib

import duckdb

from sis_pipeline.transform import build_changeset, pending_operations
from sis_pipeline.transform.mass_changes import RunSafety
from sis_pipeline.transform.operations import (
    canonical_json,
    changeset_id,
    changeset_id_of,
    content_digest,
    held_rows,
)
from sis_pipeline_tests.transform.raw_tables import (
    rows,
    school_settings,
    write_platform_users,
    write_roster,
)

ADA = {
    "host_id": "S1",
    "member_type": "student",
    "first_name": "Ada",
    "last_name": "Lovelace",
    "graduation_year": 2028,
    "grade_level": 10,
}
TOM = {"host_id": "T5", "member_type": "teacher", "first_name": "Tom", "last_name": "Teach"}


def actions(con) -> list[tuple]:
    return rows(
        con, "SELECT host_id, action, changed_fields, held FROM sync.changeset ORDER BY host_id"
    )


def payload(con, host_id: str) -> dict:
    cursor = con.execute("SELECT * FROM sync.changeset WHERE host_id = ?", [host_id])
    names = [d[0] for d in cursor.description]
    return dict(zip(names, cursor.fetchall()[0], strict=True))


def test_create_update_unchanged_reactivate(con):
    write_roster(
        con,
        [
            ADA,
            {**ADA, "host_id": "S2", "grade_level": 11},
            {**ADA, "host_id": "S3"},
            {**ADA, "host_id": "S4"},
        ],
    )
    write_platform_users(
        con,
        [
            {**ADA, "host_id": "S2"},  # grade differs
            {**ADA, "host_id": "S3"},  # equal
            {**ADA, "host_id": "S4", "status": "inactive"},
        ],
    )
    summary = build_changeset(con, school_settings())
    assert actions(con) == [
        ("S1", "create", None, False),
        ("S2", "update", "grade_level", False),
        ("S3", "unchanged", None, False),
        ("S4", "reactivate", None, False),
    ]
    assert summary.actions == {
        "create": 1,
        "update": 1,
        "reactivate": 1,
        "deactivate": 0,
        "unchanged": 1,
    }
    assert summary.by_member_type["create"] == {"student": 1}
    created = payload(con, "S1")
    assert (created["first_name"], created["graduation_year"], created["grade_level"]) == (
        "Ada",
        2028,
        10,
    )


def test_null_safe_comparison_and_member_type_change(con):
    write_roster(con, [{**ADA, "grade_level": None}, {**ADA, "host_id": "S2"}])
    write_platform_users(
        con,
        [{**ADA, "grade_level": None}, {**ADA, "host_id": "S2", "member_type": "parent"}],
    )
    build_changeset(con, school_settings())
    assert actions(con) == [
        ("S1", "unchanged", None, False),
        ("S2", "update", "member_type", False),
    ]


def test_unsynced_field_differing_is_no_update_and_the_payload_keeps_the_platform_value(con):
    write_roster(con, [ADA, {**ADA, "host_id": "S2", "last_name": "Byron"}])
    platform_extra = {"email": "old@x.org", "date_of_birth": "2010-01-02", "gender": "F"}
    write_platform_users(
        con, [{**ADA, **platform_extra}, {**ADA, "host_id": "S2", **platform_extra}]
    )
    build_changeset(con, school_settings())
    assert actions(con) == [
        ("S1", "unchanged", None, False),
        ("S2", "update", "last_name", False),
    ]
    sent = payload(con, "S2")
    assert (sent["email"], sent["date_of_birth"], sent["gender"]) == (
        "old@x.org",
        "2010-01-02",
        "F",
    )


def test_synced_optional_fields_are_compared_and_sent_even_when_null(con):
    write_roster(con, [{**ADA, "email": None, "gender": "M"}])
    write_platform_users(con, [{**ADA, "email": "old@x.org", "gender": "F"}])
    build_changeset(con, school_settings(optional_fields=["email", "gender"]))
    assert actions(con) == [("S1", "update", "email,gender", False)]
    sent = payload(con, "S1")
    assert (sent["email"], sent["gender"]) == (None, "M")


def test_reactivation_carries_changed_fields(con):
    write_roster(con, [{**ADA, "first_name": "Augusta"}])
    write_platform_users(con, [{**ADA, "status": "inactive"}])
    build_changeset(con, school_settings())
    assert actions(con) == [("S1", "reactivate", "first_name", False)]
    assert payload(con, "S1")["first_name"] == "Augusta"


def test_deactivates_only_managed_active_users(con):
    write_roster(con, [ADA])
    write_platform_users(
        con,
        [
            ADA,
            {**ADA, "host_id": "S2"},  # managed, gone from PowerSchool
            {**ADA, "host_id": "S3", "status": "inactive"},  # already inactive: nothing
            {**ADA, "host_id": "12345"},  # old ID scheme: unmanaged
            {**ADA, "host_id": "X9"},  # not our prefix
            {**ADA, "host_id": "S9a"},  # not digits after the prefix
            {**ADA, "host_id": "T7"},  # a student with the teacher prefix
            {**TOM, "host_id": "T5"},  # teachers are not synced by this school
            {**TOM, "host_id": "P8", "member_type": "parent"},  # parents are not either
        ],
    )
    summary = build_changeset(con, school_settings(member_types=["student"]))
    assert actions(con) == [("S1", "unchanged", None, False), ("S2", "deactivate", None, False)]
    assert rows(con, "SELECT host_id, member_type, status FROM sync.unmanaged_users") == [
        ("12345", "student", "active"),
        ("P8", "parent", "active"),
        ("S9a", "student", "active"),
        ("T5", "teacher", "active"),
        ("T7", "student", "active"),
        ("X9", "student", "active"),
    ]
    assert summary.active_managed_users == 2
    assert summary.unmanaged_users == 6


def test_a_quarantined_person_keeps_their_account(con):
    # S2's record broke a rule this week: a data-entry slip, not a leaver.
    write_roster(con, [ADA], quarantined=("S2", "S4"))
    write_platform_users(con, [ADA, {**ADA, "host_id": "S2"}, {**ADA, "host_id": "S3"}])
    build_changeset(con, school_settings(member_types=["student"]))
    assert actions(con) == [("S1", "unchanged", None, False), ("S3", "deactivate", None, False)]


def test_prefixes_come_from_the_school(con):
    write_roster(con, [])
    write_platform_users(con, [{**ADA, "host_id": "stu.1"}, {**ADA, "host_id": "S2"}])
    build_changeset(con, school_settings(id_prefixes={"student": "stu."}))
    assert actions(con) == [("stu.1", "deactivate", None, False)]


def test_changeset_id_is_stable_and_follows_the_content(con, tmp_path):
    write_roster(con, [ADA, {**ADA, "host_id": "S2"}])
    write_platform_users(con, [{**ADA, "host_id": "S3"}])
    first = build_changeset(con, school_settings()).changeset_id
    assert build_changeset(con, school_settings()).changeset_id == first

    # Same content written in another order, in another file: same id.
    other = duckdb.connect(str(tmp_path / "other.duckdb"))
    write_roster(other, [{**ADA, "host_id": "S2"}, ADA])
    write_platform_users(other, [{**ADA, "host_id": "S3"}])
    assert build_changeset(other, school_settings()).changeset_id == first
    other.close()

    write_roster(con, [ADA, {**ADA, "host_id": "S2", "first_name": "Augusta"}])
    assert build_changeset(con, school_settings()).changeset_id != first


def test_pending_operations_have_the_batch_shape(con):
    write_roster(con, [ADA])
    write_platform_users(con, [{**ADA, "host_id": "S3"}])
    build_changeset(con, school_settings())
    operations = [item["operation"] for item in pending_operations(con)]
    assert operations == [
        {
            "op": "upsert",
            "user": {
                "host_id": "S1",
                "member_type": "student",
                "first_name": "Ada",
                "last_name": "Lovelace",
                "email": None,
                "graduation_year": 2028,
                "date_of_birth": None,
                "gender": None,
                "grade_level": 10,
            },
        },
        {"op": "deactivate", "host_id": "S3"},
    ]
    assert pending_operations(con, actions=("create",))[0]["host_id"] == "S1"


def test_the_fast_digest_is_the_canonical_json_digest():
    # IDs and idempotency keys made before must not change: the same bytes, hashed.
    document = [
        {"op": "upsert", "user": {"host_id": "S1", "last_name": "Ñú \u2028 \x7f 中 😀", "n": 12}},
        {"op": "deactivate", "host_id": "S2", "note": "".join(map(chr, range(32))) + '"\\/'},
        {"held": [["S3", "create", "mass_creates"]], "flag": True, "none": None},
    ]
    assert content_digest(document, 64) == hashlib.sha256(canonical_json(document)).hexdigest()


def test_the_streamed_changeset_id_is_the_id_of_the_listed_operations(con):
    write_roster(con, [ADA, {**ADA, "host_id": "S2", "last_name": "Ñúñez"}])
    write_platform_users(con, [{**ADA, "host_id": "S3"}, {**ADA, "last_name": "Old"}])
    build_changeset(con, school_settings())
    listed = changeset_id(pending_operations(con), held_rows(con))
    assert changeset_id_of(con) == listed
    con.execute(
        "UPDATE sync.changeset SET held = true, hold_reason = 'mass_creates' "
        "WHERE host_id = (SELECT min(host_id) FROM sync.changeset)"
    )
    held = changeset_id(pending_operations(con), held_rows(con))
    assert held_rows(con) and changeset_id_of(con) == held != listed


def test_the_id_hashed_from_sql_json_is_the_orjson_id_whatever_the_text(con):
    # DuckDB writes the operations' JSON; any string must hash as orjson writes it, in
    # batches whose boundaries fall anywhere.
    controls = "".join(map(chr, range(32))) + "\x7f"
    odd = [
        controls,
        '"quoted" \\ back\\slash /',
        "\\u001B written out, \\\\u001b too",
        "Ñú \u2028 \u2029 中 😀 e\u0301",
    ]
    roster = [
        {**ADA, "host_id": f"S{n}", "last_name": text, "email": text, "gender": text[:16]}
        for n, text in enumerate(odd * 2, start=1)
    ]
    write_roster(con, roster)
    write_platform_users(con, [{**ADA, "host_id": "S1"}, {**ADA, "host_id": "S99"}])
    build_changeset(
        con, school_settings(optional_fields=["email", "gender"]), RunSafety(first_sync=True)
    )
    assert {op["action"] for op in pending_operations(con)} == {"create", "update", "deactivate"}
    expected = changeset_id(pending_operations(con), held_rows(con))
    for batch_size in (1, 2, 3, 50_000):
        assert changeset_id_of(con, batch_size) == expected
    con.execute("UPDATE sync.changeset SET held = true, hold_reason = 'x' WHERE host_id = 'S2'")
    expected = changeset_id(pending_operations(con), held_rows(con))
    assert changeset_id_of(con, 2) == expected
