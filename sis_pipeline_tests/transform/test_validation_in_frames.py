"""The roster contract checked a bounded frame at a time gives what one whole frame gives."""

from __future__ import annotations

from collections import Counter

import duckdb

from sis_pipeline.transform.validation import (
    frames_by_host_id,
    validate_roster_frame,
    validate_roster_table,
)

# 5,000 rows in host ID order; frames of about 2,048 rows (one DuckDB vector) cut near rows
# 2,048 and 4,096. Host IDs repeat across both cuts, rows without one sit at the end, and
# a few rows break other rules. Host ID i is 'S' || lpad(i, 5, '0'), so text order is i order.
ROSTER = """
CREATE TABLE sync.roster AS
WITH numbered AS (
    SELECT
        i,
        CASE
            WHEN i IN (2047, 2048, 2049) THEN 2047
            WHEN i IN (4095, 4096) THEN 4095
            WHEN i >= 4990 THEN NULL
            ELSE i
        END AS n
    FROM range(5000) AS t(i)
)
SELECT
    CASE WHEN n IS NOT NULL THEN 'S' || lpad(CAST(n AS VARCHAR), 5, '0') END AS host_id,
    'student' AS member_type,
    'Ada' AS first_name,
    CASE WHEN i % 997 = 0 THEN '' ELSE 'Lovelace' END AS last_name,
    NULL::VARCHAR AS email,
    CASE WHEN i % 1009 = 0 THEN NULL ELSE 2030 END AS graduation_year,
    NULL::VARCHAR AS date_of_birth,
    NULL::VARCHAR AS gender,
    8 AS grade_level,
    CAST(i AS VARCHAR) AS source_id
FROM numbered
ORDER BY i
"""


def roster(tmp_path) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(str(tmp_path / "school.duckdb"))
    con.execute("CREATE SCHEMA sync")
    con.execute(ROSTER)
    return con


def failures(frame) -> Counter:
    return Counter((f.host_id, f.reason) for f in validate_roster_frame(frame))


def test_frames_never_cut_a_host_id_and_validate_as_the_whole_frame(tmp_path):
    con = roster(tmp_path)
    query = "SELECT * FROM sync.roster ORDER BY host_id NULLS LAST"
    whole = failures(con.execute(query).df())
    frames = list(frames_by_host_id(con.execute(query), rows=1))
    # Cut before each run of a repeated host ID, and before the rows without one.
    assert [len(f) for f in frames] == [2047, 2048, 895, 10]
    # The repeats of S02047 and S04095 fall in one frame each, so pandera still sees them.
    assert whole[("S02047", "duplicate:host_id")] == 3
    assert whole[("S04095", "duplicate:host_id")] == 2
    assert whole[(None, "missing:host_id")] == 10
    assert whole[("S00997", "missing:last_name")] == 1
    assert whole[("S01009", "missing:graduation_year")] == 1
    in_frames = sum((failures(f) for f in frames), Counter())
    assert in_frames == whole


def test_the_table_check_counts_and_samples_as_the_whole_frame(tmp_path):
    con = roster(tmp_path)
    whole = validate_roster_frame(
        con.execute("SELECT * FROM sync.roster ORDER BY host_id NULLS LAST").df()
    )
    check = validate_roster_table(con, sample=4)
    assert check.rows == 5000
    assert check.failures == len(whole) == 26
    assert check.sample_host_ids == [f.host_id for f in whole[:4]]
