"""What the e-mail and report read from a school's DuckDB tables, on tiny tables."""

from __future__ import annotations

import json

import duckdb
import pytest

from sis_pipeline.notify.facts import ActionCount, FailedOperation
from sis_pipeline.notify.school_tables import by_action, failed_operations, hold_reasons


@pytest.fixture
def con():
    with duckdb.connect() as con:
        con.execute("CREATE SCHEMA sync")
        con.execute(
            "CREATE TABLE sync.changeset AS SELECT * FROM (VALUES "
            "('S1', 'student', 'create', false, NULL), ('S2', 'student', 'create', false, NULL), "
            "('S3', 'student', 'deactivate', true, 'mass_deactivation'), "
            "('T1', 'teacher', 'update', false, NULL)) "
            "AS t(host_id, member_type, action, held, hold_reason)"
        )
        yield con


def test_counts_per_action_and_member_type_with_this_runs_refusals_only(con):
    assert by_action(con, "run-2") == [
        ActionCount("create", "student", 2),
        ActionCount("deactivate", "student", 0, held=1),
        ActionCount("update", "teacher", 1),
    ]
    con.execute(
        "CREATE TABLE sync.sync_log AS SELECT * FROM (VALUES "
        "('run-1', 'S1', 'create', 'invalid_field'), ('run-2', 'T1', 'update', 'not_found'), "
        "('run-2', 'S2', 'create', NULL)) AS t(run_id, host_id, action, error_code)"
    )
    assert by_action(con, "run-2")[2] == ActionCount("update", "teacher", 1, failed=1)
    assert by_action(con, "run-2")[0] == ActionCount("create", "student", 2, failed=0)
    assert failed_operations(con, "run-2") == [FailedOperation("T1", "update", "not_found")]


def test_hold_reasons_as_the_changeset_records_them(con):
    con.execute(
        "CREATE TABLE sync.changeset_context AS "
        "SELECT 'c1' AS changeset_id, ?::JSON AS hold_decision",
        [
            json.dumps(
                {
                    "holds": [
                        {
                            "rule": "mass_deactivation",
                            "action": "deactivate",
                            "count": 12,
                            "reason": "12 deactivations exceed the limit of 5: many users left",
                        }
                    ],
                    "limit": 5,
                }
            )
        ],
    )
    assert hold_reasons(con) == ["12 deactivations exceed the limit of 5: many users left"]
    con.execute("UPDATE sync.changeset_context SET hold_decision = '{\"holds\": []}'")
    assert hold_reasons(con) == []
