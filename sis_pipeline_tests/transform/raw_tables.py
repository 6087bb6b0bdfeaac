"""Test data writers: raw PowerSchool tables and platform users as the transform finds them.

Raw tables are all VARCHAR, in schema `powerschool`, with dlt's bookkeeping columns, as the
extraction leaves them. Columns come from the rows' keys, so a table written with rows that
never mention `dob` has no `dob` column, as after a load where it was empty everywhere.
"""

from __future__ import annotations

from typing import Any

import duckdb

from sis_pipeline.config.models import SchoolSettings

PLATFORM_COLUMNS = {
    "host_id": "VARCHAR",
    "member_type": "VARCHAR",
    "first_name": "VARCHAR",
    "last_name": "VARCHAR",
    "email": "VARCHAR",
    "graduation_year": "INTEGER",
    "date_of_birth": "VARCHAR",
    "gender": "VARCHAR",
    "grade_level": "INTEGER",
    "status": "VARCHAR",
    "updated_at": "VARCHAR",
}


def school_settings(**overrides: Any) -> SchoolSettings:
    settings: dict[str, Any] = {
        "name": "Riverdale High School",
        "org_id": "riverdale-high",
        "powerschool": {
            "url": "https://riverdale.example.org",
            "client_id_env": "PS_ID",
            "client_secret_env": "PS_SECRET",
        },
    }
    school_numbers = overrides.pop("school_numbers", None)
    if school_numbers is not None:
        settings["powerschool"]["school_numbers"] = school_numbers
    settings.update(overrides)
    return SchoolSettings.model_validate(settings)


def write_raw_tables(
    con: duckdb.DuckDBPyConnection, tables: dict[str, list[dict[str, str | None]]]
) -> None:
    """Replace powerschool.<table> with the rows given; every value is text or NULL."""
    con.execute("CREATE SCHEMA IF NOT EXISTS powerschool")
    for table, rows in tables.items():
        columns = list(dict.fromkeys(key for row in rows for key in row)) or ["dcid"]
        ddl = ", ".join(f'"{c}" VARCHAR' for c in [*columns, "_dlt_load_id", "_dlt_id"])
        con.execute(f'CREATE OR REPLACE TABLE powerschool."{table}" ({ddl})')
        for number, row in enumerate(rows):
            values = [row.get(c) for c in columns] + ["1", f"dlt-{number}"]
            marks = ", ".join("?" for _ in values)
            con.execute(f'INSERT INTO powerschool."{table}" VALUES ({marks})', values)


def write_platform_users(con: duckdb.DuckDBPyConnection, users: list[dict[str, Any]]) -> None:
    con.execute("CREATE SCHEMA IF NOT EXISTS sync")
    ddl = ", ".join(f"{c} {t}" for c, t in PLATFORM_COLUMNS.items())
    con.execute(f"CREATE OR REPLACE TABLE sync.platform_users ({ddl})")
    for user in users:
        row = {"status": "active", "updated_at": "2026-01-01T00:00:00Z", **user}
        values = [row.get(c) for c in PLATFORM_COLUMNS]
        con.execute(
            f"INSERT INTO sync.platform_users VALUES ({', '.join('?' for _ in values)})", values
        )


def student(
    number: str | int, first: str | None = "Ada", last: str | None = "Lovelace", **extra: Any
) -> dict[str, str | None]:
    """A raw in-scope student row (dcid 1000 + number unless given)."""
    row = {
        "dcid": str(1000 + int(number)) if str(number).isdigit() else "1999",
        "student_number": str(number),
        "first_name": first,
        "last_name": last,
        "grade_level": "10",
        "sched_yearofgraduation": "2028",
        "enroll_status": "0",
        "schoolid": "100",
        "person_id": None,
    }
    row.update({k: None if v is None else str(v) for k, v in extra.items()})
    return row


def rows(con: duckdb.DuckDBPyConnection, sql: str) -> list[tuple]:
    return con.execute(sql).fetchall()


ROSTER_COLUMNS = {
    "host_id": "VARCHAR",
    "member_type": "VARCHAR",
    "first_name": "VARCHAR",
    "last_name": "VARCHAR",
    "email": "VARCHAR",
    "graduation_year": "INTEGER",
    "date_of_birth": "VARCHAR",
    "gender": "VARCHAR",
    "grade_level": "INTEGER",
    "source_id": "VARCHAR",
}


def write_roster(
    con: duckdb.DuckDBPyConnection,
    users: list[dict[str, Any]],
    quarantined: tuple[str, ...] = (),
) -> None:
    """sync.roster and sync.quarantine as build_roster leaves them; source_id defaults to the
    host ID's digits. `quarantined`: host IDs whose records broke a rule."""
    con.execute("CREATE SCHEMA IF NOT EXISTS sync")
    con.execute(
        "CREATE OR REPLACE TABLE sync.quarantine (host_id VARCHAR, member_type VARCHAR, "
        "source_table VARCHAR, source_id VARCHAR, reason VARCHAR)"
    )
    for host_id in quarantined:
        con.execute(
            "INSERT INTO sync.quarantine VALUES (?, 'student', 'students', ?, "
            "'missing_graduation_year')",
            [host_id, host_id.lstrip("STP")],
        )
    ddl = ", ".join(f"{c} {t}" for c, t in ROSTER_COLUMNS.items())
    con.execute(f"CREATE OR REPLACE TABLE sync.roster ({ddl})")
    for user in users:
        row = {"source_id": user["host_id"].lstrip("STP"), **user}
        values = [row.get(c) for c in ROSTER_COLUMNS]
        con.execute(f"INSERT INTO sync.roster VALUES ({', '.join('?' for _ in values)})", values)
