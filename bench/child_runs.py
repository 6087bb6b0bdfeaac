"""Run a sync (the real CLI) or a bare client in a child process and collect its figures."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import dagster as dg

BENCH = Path(__file__).resolve().parent

CHILD = (
    "import resource, sys\n"
    "from sis_pipeline.cli.main import main\n"
    "code = main(sys.argv[1:])\n"
    "print('PEAK_RSS_KB', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)\n"
    "sys.exit(code)\n"
)


@dataclass
class SyncFigures:
    exit_code: int
    wall: float
    peak_rss_mb: float
    summary: dict
    steps: dict[str, float] = field(default_factory=dict)
    errors: str = ""

    def step(self, part: str) -> float:
        """Seconds of the step whose key contains `part` (0 when it did not run)."""
        return sum(s for key, s in self.steps.items() if part in key)


def run_sync(env: dict[str, str], home: Path) -> SyncFigures:
    import time

    began = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", CHILD, "sync", "--school", "district", "--json"],
        env=env,
        capture_output=True,
        text=True,
    )
    wall = time.perf_counter() - began
    peak = next(
        (int(line.split()[1]) for line in done.stderr.splitlines() if line.startswith("PEAK_RSS")),
        0,
    )
    lines = done.stdout.strip().splitlines()
    summary = json.loads(lines[-1]) if lines else {}
    return SyncFigures(
        done.returncode,
        wall,
        peak / 1024,
        summary,
        step_seconds(home, latest_run_id(home)),
        "" if done.returncode in (0, 3) else done.stderr[-2000:],
    )


def run_bare(mode: str, spec: dict) -> dict:
    done = subprocess.run(
        [sys.executable, str(BENCH / "bare_clients.py"), mode, json.dumps(spec)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def step_seconds(home: Path, run_id: str) -> dict[str, float]:
    os.environ["DAGSTER_HOME"] = str(home)
    with dg.DagsterInstance.get() as instance:
        started: dict[str, float] = {}
        spent: dict[str, float] = defaultdict(float)
        for entry in instance.all_logs(run_id):
            event = entry.dagster_event
            if event is None or event.step_key is None:
                continue
            if event.event_type_value == "STEP_START":
                started[event.step_key] = entry.timestamp
            elif event.event_type_value in ("STEP_SUCCESS", "STEP_FAILURE"):
                spent[event.step_key] += entry.timestamp - started.pop(event.step_key)
        return dict(spent)


def latest_run_id(home: Path) -> str:
    os.environ["DAGSTER_HOME"] = str(home)
    with dg.DagsterInstance.get() as instance:
        return instance.get_runs(limit=1)[0].run_id
