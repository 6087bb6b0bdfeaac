"""The transform reads exactly what the extraction plan fetches."""

from __future__ import annotations

from sis_pipeline.sources.powerschool.settings import READABLE_COLUMNS, extraction_plan
from sis_pipeline.transform.raw_inputs import create_raw_views
from sis_pipeline_tests.transform.raw_tables import rows, school_settings, write_raw_tables


def test_every_column_read_is_one_the_full_plan_fetches():
    school = school_settings(optional_fields=["date_of_birth", "gender", "email"])
    plan = extraction_plan(school)
    assert set(READABLE_COLUMNS) == set(plan)
    for table, columns in READABLE_COLUMNS.items():
        assert set(columns) == set(plan[table]), table


def test_views_fill_missing_tables_and_columns_and_ignore_unplanned_ones(con):
    write_raw_tables(
        con,
        {
            "students": [{"dcid": "1", "dob": "2010-01-01", "first_name": "Ada"}],
            "users": [{"dcid": "2"}],  # teachers are not synced: stale table
        },
    )
    counts = create_raw_views(con, school_settings(member_types=["student"]))
    assert counts == {"students": 1}
    # dob is outside the plan (not synced) so it reads as NULL; a planned column the load
    # left out reads as NULL too; dlt's columns are not there.
    assert rows(con, "SELECT dcid, first_name, dob, grade_level FROM raw_students") == [
        ("1", "Ada", None, None)
    ]
    assert "_dlt_id" not in [d[0] for d in con.execute("SELECT * FROM raw_students").description]
    assert rows(con, "SELECT count(*) FROM raw_users") == [(0,)]
