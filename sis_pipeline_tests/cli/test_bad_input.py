"""Bad input from every side: PowerSchool rows, platform answers, the run's own folders.

Each gets a clear one-line message (a quarantine reason, a field note, an error line), no
traceback, and nothing is lost: every student in scope ends up synced or quarantined.
"""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from sis_pipeline.cli.run_sync import dagster_instance
from sis_pipeline.config.schools_file import ConfigError, load_schools_config
from sis_pipeline.sandbox.powerschool import PowerSchoolFaults
from sis_pipeline.sources.powerschool.client import EXTRA_PAGES
from sis_pipeline_tests.cli.cli_process import run_cli
from sis_pipeline_tests.loopback_servers import fixed_answer_server
from sis_pipeline_tests.schools_files import (
    RIVERDALE_WITH_PERSONAL_FIELDS,
    TWO_SCHOOLS,
    write_schools_file,
)
from sis_pipeline_tests.sync_harness import sync_harness

# column -> bad value, planted in one plain riverdale student each. PowerSchool's number and
# date columns cannot hold free text (the simulator refuses it, as PowerSchool does), so
# grades, years and IDs are bad as numbers and dates bad within YYYY-MM-DD; free text in
# them is covered by the transform's own tests.
PLANTED = [
    ("dob", "2009-02-30"),
    ("dob", "0000-00-00"),
    ("gender", "Prefers-not-to-say"),
    ("last_name", "Lo\x00ve\x07lace\u2028"),
    ("grade_level", 9.5),
    ("sched_yearofgraduation", 20277),
    ("first_name", "Ada" * 2000),
    ("student_number", -7),
]


def plant_bad_rows(district) -> tuple[pd.DataFrame, list[pd.Series]]:
    """The students table with PLANTED in plain riverdale students, and the last of them
    given the student number of the one before (a duplicate ID). Returns the planted rows."""
    students = district.tables["students"].astype(object)
    hard = {i for ids in district.hard_cases.values() for i in ids}
    plain = students.index[
        (students["schoolid"] == 100)
        & (students["enroll_status"] == 0)
        & ~students["dcid"].isin(hard)
    ][: len(PLANTED) + 2]
    for row, (column, value) in zip(plain, PLANTED, strict=False):
        students.loc[row, column] = value
    students.loc[plain[-1], "student_number"] = students.loc[plain[-2], "student_number"]
    return students, [students.loc[row] for row in plain]


def test_bad_powerschool_rows_are_quarantined_or_noted_and_nothing_is_lost(tmp_path):
    with sync_harness(tmp_path, schools=RIVERDALE_WITH_PERSONAL_FIELDS) as harness:
        students, planted = plant_bad_rows(harness.sandbox.district)
        harness.sandbox.powerschool.set_tables(
            {**harness.sandbox.district.tables, "students": students}
        )
        outcome = harness.sync()
        assert outcome.exit_code == 0 and outcome.errors == []

        users = harness.users()
        with duckdb.connect(str(harness.schools.database_path("riverdale"))) as con:
            quarantined = con.execute(
                "SELECT source_id, reason FROM sync.quarantine WHERE member_type = 'student'"
            ).fetchall()  # source_id: the row's dcid
            notes = set(con.execute("SELECT host_id, field, note FROM sync.field_notes").fetchall())
            synced = {
                host_id
                for (host_id,) in con.execute(
                    "SELECT host_id FROM sync.roster WHERE member_type = 'student'"
                ).fetchall()
            }
        (
            bad_dob,
            bad_dob_2,
            long_gender,
            controls,
            grade,
            year,
            long_name,
            bad_id,
            twin_a,
            twin_b,
        ) = planted
        for row in (bad_dob, bad_dob_2):
            host_id = f"S{row['student_number']}"
            assert users[host_id]["date_of_birth"] is None
            assert (host_id, "date_of_birth", "invalid_date") in notes
        assert users[f"S{long_gender['student_number']}"]["gender"] is None
        assert (f"S{long_gender['student_number']}", "gender", "too_long") in notes
        assert users[f"S{controls['student_number']}"]["last_name"] == "Lovelace"
        reasons: dict[str, list[str]] = {}  # by the row's dcid
        for dcid, reason in quarantined:
            reasons.setdefault(dcid, []).append(reason)
        assert reasons[str(grade["dcid"])] == ["invalid:grade_level"]
        assert reasons[str(year["dcid"])] == ["invalid:graduation_year"]
        assert reasons[str(long_name["dcid"])] == ["too_long:first_name"]
        assert reasons[str(bad_id["dcid"])] == ["invalid:host_id"]
        assert reasons[str(twin_a["dcid"])] == reasons[str(twin_b["dcid"])] == ["duplicate:host_id"]

        # Nothing lost: every student in scope is synced or quarantined, never both or neither.
        in_scope = students[(students["schoolid"] == 100) & (students["enroll_status"] == 0)]
        for _, row in in_scope.iterrows():
            assert (str(row["dcid"]) in reasons) != (f"S{row['student_number']}" in synced)
        assert len(synced) + len(reasons) == len(in_scope)


def test_a_row_served_on_two_pages_is_synced_once(tmp_path):
    """Rows inserted ahead mid-extraction push the end of page 1 onto page 2: read once."""
    with sync_harness(tmp_path, people=600) as harness:
        students = harness.sandbox.district.tables["students"]
        riverdale = students[students["schoolid"] == 100].sort_values("dcid")
        assert len(riverdale) > 100  # two pages of 100
        moved = riverdale.iloc[95:100]
        harness.sandbox.powerschool.faults = PowerSchoolFaults(
            rows_inserted_ahead={"students": len(moved)}
        )
        outcome = harness.sync()
        assert outcome.exit_code == 0 and outcome.errors == []
        with duckdb.connect(str(harness.schools.database_path("riverdale"))) as con:
            extracted = con.execute("SELECT count(*) FROM powerschool.students").fetchall()[0][0]
            duplicates = con.execute(
                "SELECT count(*) FROM sync.quarantine WHERE reason LIKE 'duplicate%'"
            ).fetchall()[0][0]
        assert extracted == len(riverdale) and duplicates == 0
        users = harness.users()
        active = moved[moved["enroll_status"] == 0]
        assert len(active) > 0
        for number in active["student_number"]:
            assert users[f"S{number}"]["status"] == "active"


def test_a_server_that_ignores_page_fails_the_run_in_bounded_time(tmp_path):
    with sync_harness(tmp_path, people=600) as harness:
        harness.sandbox.powerschool.faults = PowerSchoolFaults(page_ignored={"students"})
        failed = harness.sync()
        pages = harness.sandbox.powerschool.request_counts["/ws/schema/table/students"]
        counted = harness.sandbox.district.tables["students"]["schoolid"].eq(100).sum()
    assert failed.exit_code == 1 and failed.summary is None
    assert failed.errors == [
        f"powerschool_tables: students: read 100 distinct rows but PowerSchool counted "
        f"{counted}, {(pages - 1) * 100} rows served twice; the extraction is incomplete"
    ]
    assert pages == -(-counted // 100) + EXTRA_PAGES


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (b'{"data": [{"host_id": "S1"}], "next_cursor": null}', "users lack member_type, status"),
        (
            b'{"data": [{"host_id": "S1", "member_type": "student", "status": "active"}, '
            b'{"host_id": "S2", "member_type": "student"}], "next_cursor": null}',
            "users lack status",
        ),
        (
            b'{"data": [{"host_id": "S1", "member_type": "student", "status": "active"}], '
            b'"next_cursor": "c2FtZQ"}',
            "the listing repeated a next_cursor",
        ),
        (b'{"users": [], "next_cursor": null}', "the answer has no data list"),
        (b"<html>Service Unavailable</html>", "not a JSON object"),
    ],
    ids=[
        "users lacking fields",
        "one user lacking status",
        "repeated cursor",
        "no data list",
        "not JSON",
    ],
)
def test_a_broken_user_listing_fails_the_run_before_the_changeset(tmp_path, body, expected):
    with (
        fixed_answer_server(200, body) as (platform_url, seen),
        sync_harness(tmp_path, retry_max_seconds=1) as harness,
    ):
        write_schools_file(
            harness.config_file, harness.sandbox.powerschool.url, platform_url, TWO_SCHOOLS
        )
        harness.config = load_schools_config(harness.config_file)
        failed = harness.sync()
    assert failed.exit_code == 1 and failed.summary is None
    assert any("platform_users: platform users: " in e and expected in e for e in failed.errors)
    assert seen and all(request.startswith("GET ") for request in seen)


def test_a_failed_run_prints_one_line_and_the_trace_only_with_verbose(tmp_path):
    with sync_harness(tmp_path) as harness:
        wrong = {"TEST_PS_CLIENT_SECRET": "not-the-secret"}
        quiet = run_cli(harness, "sync", "--school", "riverdale", env=wrong)
        verbose = run_cli(harness, "sync", "--school", "riverdale", "--verbose", env=wrong)
    line = (
        "sis-pipeline: error: powerschool_tables: PowerSchool refused the client credentials "
        "(HTTP 401); check the plugin is enabled and the client ID and secret are current"
    )
    assert quiet.returncode == verbose.returncode == 1
    assert quiet.stderr.splitlines() == [line]
    assert "STEP_FAILURE" in verbose.stderr and 'File "' in verbose.stderr
    assert verbose.stderr.splitlines()[-1] == line


def test_an_unusable_data_dir_is_one_line_and_exit_2(tmp_path):
    with sync_harness(tmp_path) as harness:
        not_a_folder = tmp_path / "not-a-folder"
        not_a_folder.write_text("")
        env = {"SIS_PIPELINE_DATA_DIR": str(not_a_folder)}
        done = run_cli(harness, "sync", "--school", "riverdale", env=env)
        assert done.returncode == 2 and done.stdout == ""
        assert done.stderr.strip().splitlines() == [
            f"sis-pipeline: error: data dir {not_a_folder}: cannot write there (Not a directory)"
        ]
        assert harness.sandbox.powerschool.request_counts == {}


def test_a_broken_dagster_home_is_a_config_error(tmp_path, monkeypatch):
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("DAGSTER_HOME", str(home))
    for text, expected in (
        ("telemetry: [\n", "dagster.yaml is not valid YAML"),
        ("telemetry:\n  enabled: maybe\n", 'Value "maybe"'),
    ):
        (home / "dagster.yaml").write_text(text)
        with pytest.raises(ConfigError) as raised:
            dagster_instance()
        (line,) = raised.value.problems
        assert line.startswith(f"DAGSTER_HOME {home}: ") and expected in line
