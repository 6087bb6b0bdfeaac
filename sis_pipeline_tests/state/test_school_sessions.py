"""A run's session on the state database: any worker tells a live run from one whose worker died.

The run holding the school's lock is a separate process, killed with SIGKILL as a crashed
worker would be; the checks come from this process, as from another machine.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time

from sis_pipeline.state.durable_store import shared_state, state_connection
from sis_pipeline.state.school_sessions import CLOSED_GRACE_SECONDS, ENDINGS, ended_sessions
from sis_pipeline_tests.cli.cli_process import wait_until
from sis_pipeline_tests.postgres_database import fresh_database, query, requires_postgres

pytestmark = requires_postgres

HOLD_THE_LOCK = """
import sys, time
from sis_pipeline.state.durable_store import shared_state
with shared_state(sys.argv[1], "riverdale", "run-a"):
    print("holding", flush=True)
    time.sleep(600)
"""


def ended(dsn: str, run_ids: list[str]) -> dict[str, str]:
    with state_connection(dsn, "test") as pg:
        return ended_sessions(pg, run_ids)


def test_a_live_run_is_never_ended_and_a_killed_one_is_as_soon_as_its_session_goes():
    with fresh_database() as dsn:
        assert ended(dsn, ["run-a"]) == {}  # no table yet: nothing to judge
        worker = subprocess.Popen(
            [sys.executable, "-c", HOLD_THE_LOCK, dsn], stdout=subprocess.PIPE, text=True
        )
        try:
            assert worker.stdout.readline() == "holding\n"
            assert ended(dsn, ["run-a", "never-locked"]) == {}
        finally:
            worker.send_signal(signal.SIGKILL)
            worker.wait()
        wait_until(lambda: ended(dsn, ["run-a"]) != {}, 30, "the killed run's session gone")
        assert ended(dsn, ["run-a", "never-locked"]) == {"run-a": ENDINGS["gone"]}

        # The school's next run takes the lock: the killed run's session is lost for good.
        with shared_state(dsn, "riverdale", "run-b"):
            assert ended(dsn, ["run-a", "run-b"]) == {"run-a": ENDINGS["lost"]}
        # A run that let go of the lock is about to report its end; minutes later it never will.
        assert ended(dsn, ["run-b"]) == {}
        query(
            dsn,
            "UPDATE sis_state.run_sessions SET closed_at = closed_at - make_interval(secs => %s) "
            "WHERE run_id = 'run-b' RETURNING run_id",
            [CLOSED_GRACE_SECONDS + 1],
        )
        assert ended(dsn, ["run-b"]) == {"run-b": ENDINGS["closed"]}


def test_the_server_drops_a_silent_clients_session_within_about_a_minute():
    with fresh_database() as dsn, state_connection(dsn, "test") as pg, pg.cursor() as cur:
        settings = {}
        for name in ("tcp_keepalives_idle", "tcp_keepalives_interval", "tcp_keepalives_count"):
            cur.execute(f"SHOW {name}")
            settings[name] = int(cur.fetchone()[0].rstrip("s"))
    # 0 would leave it to the OS (two hours on Linux).
    idle, interval, count = settings.values()
    assert min(idle, interval, count) > 0 and idle + interval * count <= 60


def test_a_database_default_idle_timeout_never_ends_a_runs_session():
    with fresh_database() as dsn:
        with state_connection(dsn, "test") as pg, pg.cursor() as cur:
            cur.execute(f"ALTER DATABASE {dsn.rsplit('/', 1)[1]} SET idle_session_timeout = 500")
            pg.commit()
        with shared_state(dsn, "riverdale", "run-a"):
            time.sleep(1.5)  # the run works in its DuckDB file meanwhile
            assert ended(dsn, ["run-a"]) == {}
