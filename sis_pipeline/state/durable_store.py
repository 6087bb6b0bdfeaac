"""Each school's durable state in a PostgreSQL database every worker reaches (optional).

Without `SIS_PIPELINE_STATE_URL` the school's DuckDB file is the whole story, as on one
machine. With it (a PostgreSQL DSN; a secret, so it lives in the environment only), the tables
that outlive a run are kept in PostgreSQL, one row set per school, and the run's DuckDB file is
its working copy:

- at run start, under a session advisory lock on the school key (one run per school across
  machines), PostgreSQL's rows replace the DuckDB tables' rows;
- every write to them is written through in the same step: an attempt opened or finished,
  the log rows each time the sink writes them, the run recorded, the reconciliation's plan.
  The attempt is in PostgreSQL before the first batch is sent, so a run killed on one worker
  is resumed on another under the same idempotency keys, and a finished attempt is seen as
  finished.

The first run of a school under PostgreSQL adopts what its DuckDB file already holds. A run
records its session in `sis_state.run_sessions` (`school_sessions.py`), so any worker can tell
a run whose worker died from one still running. At the run's end the sync log is pruned
(`sink/sync_log.py`, `prune_log`) in its DuckDB file and here alike.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import duckdb
import psycopg2
import psycopg2.extras
import pyarrow as pa

from sis_pipeline.sink.sync_log import DDL as SYNC_LOG_DDL
from sis_pipeline.sink.sync_log import prune_log
from sis_pipeline.state import school_sessions
from sis_pipeline.state.durable_tables import (
    DURABLE_TABLES,
    RECONCILIATION_TABLES,
    TABLES,
)
from sis_pipeline.state.run_history import RUNS_DDL
from sis_pipeline.state.school_sessions import LOCK_NAMESPACE, SCHEMA
from sis_pipeline.transform.sql_files import run_sql

STATE_URL_VARIABLE = "SIS_PIPELINE_STATE_URL"


class SchoolBusyElsewhere(Exception):
    """Another run of the school holds its lock in the shared state database."""


def state_url() -> str | None:
    return os.environ.get(STATE_URL_VARIABLE) or None


class LocalState:
    """The default: the DuckDB file is the durable state; nothing to write through."""

    def attempt_saved(self, con: duckdb.DuckDBPyConnection, changeset_id: str, gen: int) -> None:
        pass

    def batches_logged(
        self, con: duckdb.DuckDBPyConnection, run_id: str, batch_keys: list[str]
    ) -> None:
        pass

    def run_saved(self, con: duckdb.DuckDBPyConnection, run_id: str) -> None:
        """The run is recorded: the log rows nothing needs any more are dropped."""
        prune_log(con)

    def reconciliation_saved(self, con: duckdb.DuckDBPyConnection) -> None:
        pass


LOCAL_STATE = LocalState()


class SharedState(LocalState):
    """One school's durable state in PostgreSQL, for the length of one run."""

    def __init__(self, pg: Any, school: str) -> None:
        self._pg = pg
        self._school = school

    def attempt_saved(self, con: duckdb.DuckDBPyConnection, changeset_id: str, gen: int) -> None:
        self._mirror(con, "sink_attempts", {"changeset_id": changeset_id, "generation": gen})

    def batches_logged(
        self, con: duckdb.DuckDBPyConnection, run_id: str, batch_keys: list[str]
    ) -> None:
        for key in batch_keys:
            self._mirror(con, "sync_log", {"run_id": run_id, "batch_key": key}, commit=False)
        self._pg.commit()

    def run_saved(self, con: duckdb.DuckDBPyConnection, run_id: str) -> None:
        """The run's record and the pruned log reach PostgreSQL in one transaction."""
        dropped = prune_log(con)
        self._mirror(con, "runs", {"run_id": run_id}, commit=False)
        if dropped:
            runs, changesets = (list(column) for column in zip(*dropped, strict=True))
            with self._pg.cursor() as cur:
                cur.execute(
                    f"DELETE FROM {SCHEMA}.sync_log WHERE school = %s AND (run_id, changeset_id) "
                    "IN (SELECT * FROM unnest(%s::text[], %s::text[]))",
                    [self._school, runs, changesets],
                )
        self._pg.commit()

    def ended_sessions(self, run_ids: list[str]) -> dict[str, str]:
        """Of `run_ids`, the runs whose session on the state database is gone: ID -> reason."""
        return school_sessions.ended_sessions(self._pg, run_ids)

    def reconciliation_saved(self, con: duckdb.DuckDBPyConnection) -> None:
        for name in RECONCILIATION_TABLES:
            self._mirror(con, name, {}, commit=False)
        self._pg.commit()

    def load_into(self, con: duckdb.DuckDBPyConnection) -> None:
        """Replace the DuckDB tables' rows with PostgreSQL's (adopting DuckDB's the first time)."""
        create_local_tables(con)
        with self._pg.cursor() as cur:
            cur.execute(f"SELECT 1 FROM {SCHEMA}.schools WHERE school = %s", [self._school])
            adopted = cur.fetchone() is not None
        if not adopted:
            for table in DURABLE_TABLES:
                self._mirror(con, table.name, {}, commit=False)
            with self._pg.cursor() as cur:
                cur.execute(f"INSERT INTO {SCHEMA}.schools VALUES (%s, now())", [self._school])
            self._pg.commit()
            return
        con.execute("BEGIN TRANSACTION")
        try:
            for table in DURABLE_TABLES:
                names = [name for name, _ in table.columns]
                with self._pg.cursor() as cur:
                    cur.execute(
                        f"SELECT {', '.join(names)} FROM {SCHEMA}.{table.name} "
                        f"WHERE school = %s ORDER BY {table.order_by}",
                        [self._school],
                    )
                    rows = cur.fetchall()
                empty = con.sql(f"SELECT {', '.join(names)} FROM sync.{table.name} LIMIT 0")
                arrow_schema = empty.to_arrow_table().schema
                loaded = pa.Table.from_pylist(
                    [dict(zip(names, row, strict=True)) for row in rows], schema=arrow_schema
                )
                con.execute(f"DELETE FROM sync.{table.name}")
                con.register("durable_rows", loaded)
                con.execute(
                    f"INSERT INTO sync.{table.name} ({', '.join(names)}) "
                    f"SELECT {', '.join(names)} FROM durable_rows"
                )
                con.unregister("durable_rows")
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        self._pg.rollback()  # end the read transaction; the session lock stays

    def _mirror(
        self,
        con: duckdb.DuckDBPyConnection,
        name: str,
        match: dict[str, Any],
        commit: bool = True,
    ) -> None:
        """PostgreSQL's rows of `name` matching `match` become the DuckDB table's."""
        table = TABLES[name]
        names = [column for column, _ in table.columns]
        where = "".join(f" AND {column} = ?" for column in match)
        rows = con.execute(
            f"SELECT {', '.join(names)} FROM sync.{name} WHERE true{where}", list(match.values())
        ).fetchall()
        pg_where = "".join(f" AND {column} = %s" for column in match)
        with self._pg.cursor() as cur:
            cur.execute(
                f"DELETE FROM {SCHEMA}.{name} WHERE school = %s{pg_where}",
                [self._school, *match.values()],
            )
            if rows:
                psycopg2.extras.execute_values(
                    cur,
                    f"INSERT INTO {SCHEMA}.{name} (school, {', '.join(names)}) VALUES %s",
                    [(self._school, *row) for row in rows],
                    page_size=1000,
                )
        if commit:
            self._pg.commit()


def create_local_tables(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(RUNS_DDL)
    con.execute(SYNC_LOG_DDL)
    run_sql(con, "reconciliation_tables")


def create_shared_tables(pg: Any) -> None:
    """The state schema, created once; concurrent first runs wait on a transaction lock."""
    with pg.cursor() as cur:
        cur.execute("SELECT pg_advisory_xact_lock(%s, 0)", [LOCK_NAMESPACE])
        cur.execute(f"CREATE SCHEMA IF NOT EXISTS {SCHEMA}")
        cur.execute(
            f"CREATE TABLE IF NOT EXISTS {SCHEMA}.schools "
            "(school text PRIMARY KEY, adopted_at timestamptz NOT NULL)"
        )
        for table in DURABLE_TABLES:
            columns = ", ".join(f"{name} {kind}" for name, kind in table.columns)
            cur.execute(
                f"CREATE TABLE IF NOT EXISTS {SCHEMA}.{table.name} "
                f"(school text NOT NULL, {columns})"
            )
            # A column added since the table was made (DuckDB's tables grow the same way).
            for name, kind in table.columns:
                cur.execute(
                    f"ALTER TABLE {SCHEMA}.{table.name} ADD COLUMN IF NOT EXISTS {name} {kind}"
                )
            cur.execute(
                f"CREATE INDEX IF NOT EXISTS {table.name}_school ON {SCHEMA}.{table.name} (school)"
            )
        cur.execute(school_sessions.DDL)
    pg.commit()


@contextmanager
def state_connection(url: str, purpose: str) -> Iterator[Any]:
    """A connection to the state database, closed afterwards; `purpose` names it to the
    server (`application_name`). The server drops it within about a minute of its client
    falling silent (`school_sessions.KEEPALIVES`), taking any lock it held."""
    try:
        pg = psycopg2.connect(url, application_name=f"sis-pipeline {purpose}"[:63])
    except psycopg2.Error:
        # libpq's message may quote the connection string, password and all: not repeated.
        raise ConnectionError(
            f"{STATE_URL_VARIABLE}: cannot connect to the state database"
        ) from None
    try:
        school_sessions.set_keepalives(pg)
        yield pg
    finally:
        pg.close()


@contextmanager
def shared_state(url: str, school: str, run_id: str | None = None) -> Iterator[SharedState]:
    """The school's shared state for one run, holding its lock until the run ends.

    The lock is a session lock: it goes with the connection, also when the worker dies.
    With `run_id` the run's session is recorded (`school_sessions.py`) so that other workers
    can tell when it is gone.
    """
    with state_connection(url, school) as pg:
        create_shared_tables(pg)
        if not school_sessions.try_lock(pg, school):
            raise SchoolBusyElsewhere(
                f"schools.{school}: another run of this school is in progress"
            )
        if run_id is None:
            yield SharedState(pg, school)
            return
        school_sessions.open_session(pg, school, run_id, socket.gethostname())
        try:
            yield SharedState(pg, school)
        finally:
            try:
                pg.rollback()
                school_sessions.close_session(pg, run_id)
            except psycopg2.Error:
                pass  # the session is gone already, and the lock with it
