"""Syncs started at once on a fresh Dagster instance: its storage is created once, by one of
them, and every run either runs or is refused as busy; the instance stays usable.

Each round starts two syncs of each school at once on a new DAGSTER_HOME holding the
project's dagster.yaml. The syncs are `sis-pipeline` processes forked from the test, with
everything imported: new interpreters would spend seconds each importing Dagster.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import dagster as dg
from dagster._core.instance.ref import InstanceRef

from sis_pipeline_tests.cli.cli_process import fork_cli, wait_forked
from sis_pipeline_tests.sync_harness import sync_harness

PROJECT_ROOT = Path(__file__).resolve().parents[2]
ROUNDS = 5
STARTS = ("riverdale", "hillcrest", "riverdale", "hillcrest")
BUSY = "sis-pipeline: error: schools.{}: another run of this school is in progress"


def test_syncs_started_at_once_on_a_fresh_instance_never_break_it(tmp_path):
    with sync_harness(tmp_path, people=60) as harness:
        for round_ in range(ROUNDS):
            home = tmp_path / f"home-{round_}"
            home.mkdir()
            shutil.copy(PROJECT_ROOT / "dagster.yaml", home / "dagster.yaml")
            env = {**harness.environment, "DAGSTER_HOME": str(home)}
            children = [
                (key, output, fork_cli(["sync", "--school", key], env, output))
                for n, key in enumerate(STARTS)
                for output in [tmp_path / f"round-{round_}-{n}.txt"]
            ]
            ran = []
            for key, output, pid in children:
                code = wait_forked(pid)
                text = output.read_text()
                lines = text.strip().splitlines()
                assert "Traceback" not in text
                if code == 0:
                    ran.append(key)
                else:
                    assert (code, lines) == (1, [BUSY.format(key)])
            assert sorted(ran) == ["hillcrest", "riverdale"]  # one run per school at a time

            with sqlite3.connect(home / "history" / "runs.db") as con:
                assert len(con.execute("SELECT * FROM alembic_version").fetchall()) == 1
            with dg.DagsterInstance.from_ref(InstanceRef.from_dir(str(home))) as instance:
                statuses = [run.status for run in instance.get_runs()]
            assert statuses.count(dg.DagsterRunStatus.SUCCESS) == 2
