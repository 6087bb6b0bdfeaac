"""Build `sync.roster`, `sync.quarantine` and `sync.field_notes` from the raw PowerSchool tables.

Who is synced is decided in the `*_candidates.sql` files; the pandera model in
`validation.py` then splits the candidates into roster rows and quarantined rows. Students
are validated first, because only valid students in scope give their contacts a parent
account: a quarantined student is not in scope (docs/sync-rules.md, "Who gets synced").
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

import duckdb
import pandas as pd
import pyarrow as pa

from sis_pipeline.config.models import SchoolSettings
from sis_pipeline.transform.raw_inputs import RAW_SCHEMA, create_raw_views
from sis_pipeline.transform.run_settings import write_run_settings
from sis_pipeline.transform.sql_files import run_sql, run_sql_atomically
from sis_pipeline.transform.validation import frames_by_host_id, validate_roster_frame

CANDIDATE_COLUMNS = (
    "candidate_id, member_type, source_table, record_key, source_id, host_id, first_name, "
    "last_name, email, graduation_year, date_of_birth, gender, grade_level, parse_problems, "
    "email_note, date_of_birth_note, gender_note"
)
# The temp table quarantine_frame, in column order; source_id is the record's key.
QUARANTINE_SCHEMA = pa.schema(
    [
        ("member_type", pa.string()),
        ("candidate_id", pa.int64()),
        ("host_id", pa.string()),
        ("source_table", pa.string()),
        ("source_id", pa.string()),
        ("reason", pa.string()),
    ]
)


@dataclass(frozen=True)
class RosterSummary:
    """What `build_roster` wrote: counts only, never personal values."""

    members: dict[str, int]  # member_type -> roster rows
    quarantined: int  # quarantined source rows (a row with two reasons counts once)
    quarantine_reasons: dict[str, int] = field(default_factory=dict)  # reason -> rows
    field_notes: dict[str, int] = field(default_factory=dict)  # "field:note" -> rows
    raw_row_counts: dict[str, int] = field(default_factory=dict)  # planned table -> rows

    @property
    def roster_size(self) -> int:
        return sum(self.members.values())


def _text(value: object) -> str | None:
    return None if pd.isna(value) else str(value)


def _reasons(candidates: pd.DataFrame) -> list[tuple]:
    """Quarantine rows (one per candidate and reason) for the candidates that break a rule."""
    found: set[tuple[int, str]] = set()
    for position, problems in enumerate(candidates["parse_problems"]):
        found.update((position, problem) for problem in (problems if problems is not None else ()))
    found.update((f.row, f.reason) for f in validate_roster_frame(candidates))
    # A value that could not be parsed reads as missing too; report it once, as invalid.
    invalid = {
        (row, reason.split(":", 1)[1]) for row, reason in found if reason.startswith("invalid:")
    }
    return [
        (
            str(candidates["member_type"].iat[row]),
            int(candidates["candidate_id"].iat[row]),
            _text(candidates["host_id"].iat[row]),
            str(candidates["source_table"].iat[row]),
            _text(candidates["record_key"].iat[row]),
            reason,
        )
        for row, reason in sorted(found)
        if not (reason.startswith("missing:") and (row, reason.split(":", 1)[1]) in invalid)
    ]


def _quarantine(con: duckdb.DuckDBPyConnection, *tables: str) -> list[tuple]:
    """Validate the candidates of `tables` together, a bounded frame at a time, and record
    the ones that break a rule."""
    union = " UNION ALL ".join(f"SELECT {CANDIDATE_COLUMNS} FROM {table}" for table in tables)
    result = con.execute(f"SELECT * FROM ({union}) ORDER BY host_id NULLS LAST")
    quarantined = [row for frame in frames_by_host_id(result) for row in _reasons(frame)]
    if quarantined:
        # Arrow with an explicit schema: a column of only NULLs still arrives as VARCHAR.
        batch = pa.Table.from_pylist(
            [dict(zip(QUARANTINE_SCHEMA.names, row, strict=True)) for row in quarantined],
            schema=QUARANTINE_SCHEMA,
        )
        con.register("new_quarantine_rows", batch)
        con.execute("INSERT INTO quarantine_frame SELECT * FROM new_quarantine_rows")
        con.unregister("new_quarantine_rows")
    return quarantined


def build_roster(
    con: duckdb.DuckDBPyConnection,
    school: SchoolSettings,
    today: date,
    raw_schema: str = RAW_SCHEMA,
) -> RosterSummary:
    """Replace `sync.roster`, `sync.quarantine` and `sync.field_notes` for `school`.

    `today` is the run's date in UTC; it decides which contacts are current.
    """
    run_sql(con, "macros")
    write_run_settings(con, school, today)
    raw_counts = create_raw_views(con, school, raw_schema)
    con.execute(
        "CREATE OR REPLACE TEMP TABLE quarantine_frame (member_type VARCHAR, "
        "candidate_id BIGINT, host_id VARCHAR, source_table VARCHAR, source_id VARCHAR, "
        "reason VARCHAR)"
    )
    run_sql(con, "primary_emails")
    run_sql(con, "student_candidates")
    run_sql(con, "teacher_candidates")
    quarantined = _quarantine(con, "student_candidates", "teacher_candidates")
    con.execute(
        "CREATE OR REPLACE TEMP TABLE valid_students AS SELECT DISTINCT student_key "
        "FROM student_candidates AS c WHERE NOT EXISTS (SELECT 1 FROM quarantine_frame AS q "
        "WHERE q.member_type = 'student' AND q.candidate_id = c.candidate_id)"
    )
    run_sql(con, "parent_candidates")
    quarantined += _quarantine(con, "parent_candidates")
    con.execute(
        "CREATE OR REPLACE TEMP VIEW all_candidates AS "
        + " UNION ALL ".join(
            f"SELECT {CANDIDATE_COLUMNS} FROM {kind}_candidates"
            for kind in ("student", "teacher", "parent")
        )
    )
    run_sql_atomically(con, "roster_tables")
    return _summary(con, quarantined, raw_counts)


def _summary(
    con: duckdb.DuckDBPyConnection, quarantined: list[tuple], raw_counts: dict[str, int]
) -> RosterSummary:
    members = dict(
        con.execute("SELECT member_type, count(*) FROM sync.roster GROUP BY ALL").fetchall()
    )
    notes = dict(
        con.execute(
            "SELECT field || ':' || note, count(*) FROM sync.field_notes GROUP BY ALL"
        ).fetchall()
    )
    records = {(member_type, candidate_id) for member_type, candidate_id, *_ in quarantined}
    return RosterSummary(
        members={kind: members.get(kind, 0) for kind in ("student", "teacher", "parent")},
        quarantined=len(records),
        quarantine_reasons=dict(sorted(Counter(row[-1] for row in quarantined).items())),
        field_notes=dict(sorted(notes.items())),
        raw_row_counts=raw_counts,
    )
