"""A fresh PostgreSQL database per test, on the server `SIS_PIPELINE_TEST_POSTGRES` names.

`.ci/run` starts that server (`.ci/postgres.sh`); where the variable is unset, the tests that
need it are skipped and say why.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg2
import pytest

SERVER_VARIABLE = "SIS_PIPELINE_TEST_POSTGRES"

requires_postgres = pytest.mark.skipif(
    not os.environ.get(SERVER_VARIABLE),
    reason=f"{SERVER_VARIABLE} is unset: no PostgreSQL server (.ci/postgres.sh starts one)",
)


def _admin():
    con = psycopg2.connect(os.environ[SERVER_VARIABLE])
    con.autocommit = True
    return con


@contextmanager
def fresh_database() -> Iterator[str]:
    """The DSN of a new, empty database, dropped afterwards."""
    name = f"sis_test_{uuid.uuid4().hex[:12]}"
    admin = _admin()
    try:
        with admin.cursor() as cur:
            cur.execute(f"CREATE DATABASE {name}")
        server = os.environ[SERVER_VARIABLE].rsplit("/", 1)[0]
        yield f"{server}/{name}"
    finally:
        with admin.cursor() as cur:
            cur.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        admin.close()


def query(dsn: str, sql: str, params: list | None = None) -> list[tuple]:
    with psycopg2.connect(dsn) as con, con.cursor() as cur:
        cur.execute(sql, params or [])
        rows = cur.fetchall()
    con.close()
    return rows
