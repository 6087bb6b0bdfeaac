"""`sis_state.run_sessions`: which run holds each school's lock in the state database.

With the state in PostgreSQL every run of a school holds a session advisory lock on the
school key from its start to its end, on its own connection; PostgreSQL frees the lock when
that connection goes, however the run's process or machine went. So any worker can tell
whether a run is still there, without reaching the run's machine: a run is dead when the
session it recorded no longer holds its school's lock.

One row per run that took its school's lock, written the moment it took it:

- `open`: the run holds the lock on session `backend_pid` (it is alive while that session
  still holds the lock);
- `closed`: the run let go of the lock as it ended (its end follows within milliseconds; one
  still unended `CLOSED_GRACE_SECONDS` later died in between);
- `lost`: a later run of the school took the lock, so this run's session was gone by then
  (also what a reused backend pid cannot hide).

A run that has not yet taken the lock (its first second) has no row and is never judged here.
Rows older than `KEEP_DAYS` are dropped when the school's next run takes its lock.
"""

from __future__ import annotations

from typing import Any

SCHEMA = "sis_state"
# Arbitrary, fixed: the first half of the advisory-lock key for school runs.
LOCK_NAMESPACE = 7_140_511
CLOSED_GRACE_SECONDS = 600
KEEP_DAYS = 30
# How long PostgreSQL waits to hear from a silent client before it drops the session (and
# so the lock): idle, then each probe, times probes (about a minute for a machine that died
# without closing its connections). The server's defaults leave that to the OS: two hours.
KEEPALIVES = {"tcp_keepalives_idle": 30, "tcp_keepalives_interval": 10, "tcp_keepalives_count": 3}

DDL = f"""
CREATE TABLE IF NOT EXISTS {SCHEMA}.run_sessions (
    run_id text PRIMARY KEY,
    school text NOT NULL,
    host text,
    backend_pid integer NOT NULL,
    state text NOT NULL,
    opened_at timestamptz NOT NULL DEFAULT now(),
    closed_at timestamptz
)
"""

# Why a run's session is known to be gone, by its ending.
ENDINGS = {
    "gone": "its session on the state database is gone and no longer holds the school's lock",
    "lost": "a later run of the school took the school's lock on the state database",
    "closed": "it let go of the school's lock on the state database minutes ago and never "
    "reported its end",
}


def set_keepalives(pg: Any) -> None:
    """The session's own keepalive settings (they apply to TCP connections only); and no idle
    timeout a database default may set (PostgreSQL 14 and later): a run's session sits idle
    while the run works, and ending it would end the run's hold on its school."""
    with pg.cursor() as cur:
        for name, value in KEEPALIVES.items():
            cur.execute(f"SET {name} = {int(value)}")
        cur.execute(
            "SELECT set_config(name, '0', false) FROM pg_settings "
            "WHERE name = 'idle_session_timeout'"
        )
    pg.commit()


def try_lock(pg: Any, school: str) -> bool:
    with pg.cursor() as cur:
        cur.execute("SELECT pg_try_advisory_lock(%s, hashtext(%s))", [LOCK_NAMESPACE, school])
        locked = cur.fetchone()[0]
    pg.commit()
    return bool(locked)


def open_session(pg: Any, school: str, run_id: str, host: str) -> None:
    """Record that `run_id` holds the school's lock on this session (call right after taking
    it). Rows of the school still open belong to sessions that are gone: they become lost."""
    with pg.cursor() as cur:
        cur.execute(
            f"UPDATE {SCHEMA}.run_sessions SET state = 'lost', closed_at = now() "
            "WHERE school = %s AND state = 'open'",
            [school],
        )
        cur.execute(
            f"DELETE FROM {SCHEMA}.run_sessions WHERE school = %s "
            "AND opened_at < now() - make_interval(days => %s)",
            [school, KEEP_DAYS],
        )
        cur.execute(
            f"INSERT INTO {SCHEMA}.run_sessions (run_id, school, host, backend_pid, state) "
            "VALUES (%s, %s, %s, pg_backend_pid(), 'open') "
            "ON CONFLICT (run_id) DO UPDATE SET school = excluded.school, host = excluded.host, "
            "backend_pid = excluded.backend_pid, state = 'open', opened_at = now(), "
            "closed_at = NULL",
            [run_id, school, host],
        )
    pg.commit()


def close_session(pg: Any, run_id: str) -> None:
    """The run lets go of its school's lock as it ends."""
    with pg.cursor() as cur:
        cur.execute(
            f"UPDATE {SCHEMA}.run_sessions SET state = 'closed', closed_at = now() "
            "WHERE run_id = %s AND state = 'open'",
            [run_id],
        )
    pg.commit()


def ended_sessions(pg: Any, run_ids: list[str]) -> dict[str, str]:
    """Of `run_ids`, the runs whose session is known to be gone: run ID -> the reason.

    A run with no row (it never took the lock here, or its row is long gone) is not in it."""
    if not run_ids:
        return {}
    with pg.cursor() as cur:
        cur.execute("SELECT to_regclass(%s) IS NOT NULL", [f"{SCHEMA}.run_sessions"])
        if not cur.fetchone()[0]:
            pg.rollback()
            return {}
        cur.execute(
            f"""
            SELECT s.run_id, CASE
                WHEN s.state = 'lost' THEN 'lost'
                WHEN s.state = 'open' AND NOT EXISTS (
                    SELECT 1 FROM pg_locks AS l
                    WHERE l.locktype = 'advisory' AND l.granted
                      AND l.database = (
                          SELECT oid FROM pg_database WHERE datname = current_database()
                      )
                      AND l.classid = %(namespace)s AND l.objid = hashtext(s.school)::oid
                      AND l.objsubid = 2 AND l.pid = s.backend_pid
                ) THEN 'gone'
                WHEN s.state = 'closed'
                     AND s.closed_at < now() - make_interval(secs => %(grace)s) THEN 'closed'
            END
            FROM {SCHEMA}.run_sessions AS s
            WHERE s.run_id = ANY(%(runs)s)
            """,
            {"namespace": LOCK_NAMESPACE, "grace": CLOSED_GRACE_SECONDS, "runs": run_ids},
        )
        rows = cur.fetchall()
    pg.rollback()  # a read: end its transaction, keep no snapshot open
    return {run_id: ENDINGS[ending] for run_id, ending in rows if ending is not None}
