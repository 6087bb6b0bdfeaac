"""Proposals for old accounts the mapping misses: evidence, tiers, ambiguity, auto-apply."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from sis_pipeline.config.mapping_file import MappingRow
from sis_pipeline.sandbox.district import generate_district
from sis_pipeline.transform import build_roster
from sis_pipeline.transform.reconciliation import build_reconciliation
from sis_pipeline_tests.transform.raw_tables import (
    rows,
    school_settings,
    write_platform_users,
    write_roster,
)

ADA = {
    "host_id": "S2038788",
    "member_type": "student",
    "first_name": "Ada",
    "last_name": "Lovelace",
    "graduation_year": 2028,
    "date_of_birth": "2010-05-06",
    "email": "ada@example.org",
    "source_id": "2038788",
}
AUTO = {"reconciliation": {"auto_apply_top_tier": True}}


def proposals(con) -> list[tuple]:
    return rows(
        con,
        "SELECT old_host_id, new_host_id, tier, evidence, ambiguous, auto_applied "
        "FROM sync.reconciliation_proposals ORDER BY 1, 2",
    )


def plan(con) -> list[tuple]:
    return rows(con, "SELECT old_host_id, new_host_id, source FROM sync.rename_plan")


def test_each_kind_of_evidence_and_its_tier(con):
    grace = {**ADA, "first_name": "Grace", "last_name": "Hopper", "email": None}
    write_roster(
        con,
        [
            ADA,
            {**grace, "host_id": "S7", "source_id": "7"},
            {**grace, "host_id": "S8", "first_name": "Alan", "source_id": "8"},
            {**grace, "host_id": "S9", "first_name": "Kay", "email": "kay@x.org", "source_id": "9"},
            {"host_id": "P5", "member_type": "parent", "first_name": "Lin", "last_name": "Wu"},
            {**grace, "host_id": "S10", "first_name": "Nobody", "source_id": "10"},
        ],
    )
    write_platform_users(
        con,
        [
            {**ADA, "host_id": "002038788", "first_name": "Someone", "email": None},
            {**grace, "host_id": "g-old", "graduation_year": 2030},  # name and birth date
            {**grace, "host_id": "a-old", "first_name": " ALAN ", "date_of_birth": None},
            {**grace, "host_id": "k-old", "first_name": "K", "email": " KAY@x.org "},
            {"host_id": "lw", "member_type": "parent", "first_name": "Lin", "last_name": "Wu"},
            {**grace, "host_id": "10", "member_type": "teacher", "graduation_year": None},
            {**grace, "host_id": "S77", "first_name": "Nobody"},  # managed: not an old account
        ],
    )
    summary = build_reconciliation(con, school_settings(), [])
    assert proposals(con) == [
        ("002038788", "S2038788", 1, "raw_id", False, False),
        ("a-old", "S8", 3, "name_and_graduation_year", False, False),
        ("g-old", "S7", 2, "name_and_birth_date", False, False),
        ("k-old", "S9", 3, "email", False, False),
        ("lw", "P5", 4, "name_only", False, False),
    ]  # and none across member types ("10" is a teacher's account)
    assert (summary.proposed, summary.ambiguous, summary.renames) == (5, 0, 0)
    assert summary.proposed_by_tier == {1: 1, 2: 1, 3: 2, 4: 1}


def test_only_unambiguous_top_tier_proposals_apply_and_only_when_the_school_says_so(con):
    bo = {**ADA, "host_id": "S3", "first_name": "Bo", "email": None, "source_id": "3"}
    cy = {**bo, "host_id": "S4", "first_name": "Cy", "email": "cy@x.org", "source_id": "4"}
    write_roster(con, [ADA, bo, cy])
    # Bo's old account under his raw ID carries Cy's e-mail: two candidates, none applied.
    write_platform_users(
        con, [{**ADA, "host_id": "2038788"}, {**bo, "host_id": "3", "email": "cy@x.org"}]
    )
    build_reconciliation(con, school_settings(), [])
    assert plan(con) == []  # auto_apply_top_tier defaults to false
    summary = build_reconciliation(con, school_settings(**AUTO), [])
    assert plan(con) == [("2038788", "S2038788", "proposal")]
    assert proposals(con)[1:] == [
        ("3", "S3", 1, "name_and_birth_date,name_and_graduation_year,raw_id", True, False),
        ("3", "S4", 3, "email", True, False),
    ]
    assert (summary.auto_applied, summary.proposed, summary.ambiguous) == (1, 2, 2)


def test_accounts_the_mapping_names_are_not_proposed(con):
    write_roster(con, [ADA])
    write_platform_users(con, [{**ADA, "host_id": "2038788"}, {**ADA, "host_id": "ada"}])
    build_reconciliation(con, school_settings(**AUTO), [MappingRow(2, "ada", "S2038788")])
    assert proposals(con) == []
    assert plan(con) == [("ada", "S2038788", "mapping")]


def load_district(con, tables: dict[str, pd.DataFrame]) -> None:
    con.execute("CREATE SCHEMA IF NOT EXISTS powerschool")
    for name, frame in tables.items():
        con.register("frame", frame)
        con.execute(f"CREATE OR REPLACE TABLE powerschool.{name} AS SELECT * FROM frame")
        con.unregister("frame")


def share_an_email(tables: dict[str, pd.DataFrame], person_ids: list[int]) -> None:
    """The twins' own PERSON rows both get the family's address as their primary e-mail."""
    links = tables["personemailaddressassoc"]
    first = int(links.personemailaddressassocid.max()) + 1
    extra = pd.DataFrame(
        {
            "personemailaddressassocid": range(first, first + len(person_ids)),
            "personid": person_ids,
            "emailaddressid": int(tables["emailaddress"].emailaddressid.iloc[0]),
            "isprimaryemailaddress": 1,
            "emailaddresspriorityorder": 0,
        }
    ).astype("Int64")
    tables["personemailaddressassoc"] = pd.concat([links, extra], ignore_index=True)


def test_twins_and_same_name_parents_stay_ambiguous_and_unapplied(con):
    district = generate_district(300, seed=11, today=dt.date(2026, 3, 2))
    tables = dict(district.tables)
    students, persons = tables["students"], tables["person"]
    twins = students[students.dcid.isin(district.hard_cases["twins"])].sort_values("dcid")
    share_an_email(tables, [int(p) for p in twins.person_id])
    load_district(con, tables)
    school = school_settings(optional_fields=["date_of_birth", "email"], **AUTO)
    build_roster(con, school, district.today)
    fields = ("first_name", "last_name", "graduation_year", "date_of_birth", "email")
    roster = {
        host_id: dict(zip(fields, values, strict=True))
        for host_id, *values in rows(con, f"SELECT host_id, {', '.join(fields)} FROM sync.roster")
    }
    twin_ids = [f"S{n}" for n in twins.student_number]
    parents = persons[persons.id.isin(district.hard_cases["same_name_parents"])]
    parent_ids = [f"P{n}" for n in parents.id]
    plain = next(h for h in sorted(roster) if h.startswith("S") and h not in twin_ids)
    assert set(twin_ids + parent_ids) <= set(roster)
    assert roster[twin_ids[0]]["email"] == roster[twin_ids[1]]["email"] is not None

    def old(host_id: str, new_id: str, member_type: str = "student") -> dict:
        return {"host_id": host_id, "member_type": member_type, **roster[new_id]}

    write_platform_users(
        con,
        [
            old(twin_ids[0][1:], twin_ids[0]),  # the first twin's raw ID: top tier
            old("tw-2", twin_ids[1]),
            {**old("mg-1", parent_ids[0], "parent"), "email": None},
            {**old("mg-2", parent_ids[1], "parent"), "email": None},
            old(plain[1:], plain),
        ],
    )
    summary = build_reconciliation(con, school, [])
    found = proposals(con)
    hard = [p for p in found if p[1] in twin_ids + parent_ids]
    # Each twin's old account meets both twins (the family e-mail), each parent's both
    # parents (the same name): every pair is listed for review, none applied.
    assert len(hard) == 8
    assert all(ambiguous and not applied for *_, ambiguous, applied in hard)
    assert (twin_ids[0][1:], twin_ids[0], 1) in [p[:3] for p in hard]
    assert plan(con) == [(plain[1:], plain, "proposal")]
    assert summary.proposed == summary.ambiguous == 8
