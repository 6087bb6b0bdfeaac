"""Run a sync (the real CLI) or a bare client in a child process and collect its figures."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import dagster as dg

BENCH = Path(__file__).resolve().parent

CHILD = (
    "import json, os, resource, sys, threading, time\n"
    "samples = []\n"
    "def sample():\n"
    "    page = os.sysconf('SC_PAGE_SIZE')\n"
    "    while True:\n"
    "        with open('/proc/self/statm') as f:\n"
    "            samples.append((time.time(), int(f.read().split()[1]) * page >> 20))\n"
    "        time.sleep(0.1)\n"
    "threading.Thread(target=sample, daemon=True).start()\n"
    "from sis_pipeline.cli.main import main\n"
    "code = main(sys.argv[1:])\n"
    "print('PEAK_RSS_KB', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)\n"
    "print('RSS_SAMPLES', json.dumps(samples), file=sys.stderr)\n"
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
    step_peak_mb: dict[str, float] = field(default_factory=dict)

    def step(self, part: str) -> float:
        """Seconds of the step whose key contains `part` (0 when it did not run)."""
        return sum(s for key, s in self.steps.items() if part in key)


def run_sync(env: dict[str, str], home: Path) -> SyncFigures:
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
    samples = next(
        (json.loads(line[12:]) for line in done.stderr.splitlines() if line.startswith("RSS_")),
        [],
    )
    lines = done.stdout.strip().splitlines()
    summary = json.loads(lines[-1]) if lines else {}
    windows = step_windows(home, latest_run_id(home))
    return SyncFigures(
        done.returncode,
        wall,
        peak / 1024,
        summary,
        {step: end - start for step, (start, end) in windows.items()},
        "" if done.returncode in (0, 3) else done.stderr[-2000:],
        peaks_by_window(samples, windows),
    )


def peaks_by_window(
    samples: list[tuple[float, int]], windows: dict[str, tuple[float, float]]
) -> dict[str, float]:
    """Peak RSS (MB) within each step, and before the first and after the last."""
    peaks = {
        step: max((mb for t, mb in samples if start <= t <= end), default=0)
        for step, (start, end) in windows.items()
    }
    if windows and samples:
        first = min(start for start, _ in windows.values())
        last = max(end for _, end in windows.values())
        peaks["(before the steps)"] = max((mb for t, mb in samples if t < first), default=0)
        peaks["(after the steps)"] = max((mb for t, mb in samples if t > last), default=0)
    return peaks


def run_bare(mode: str, spec: dict) -> dict:
    done = subprocess.run(
        [sys.executable, str(BENCH / "bare_clients.py"), mode, json.dumps(spec)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def step_windows(home: Path, run_id: str) -> dict[str, tuple[float, float]]:
    """Each step's start and end (epoch seconds), from the run's Dagster events."""
    os.environ["DAGSTER_HOME"] = str(home)
    with dg.DagsterInstance.get() as instance:
        started: dict[str, float] = {}
        windows: dict[str, tuple[float, float]] = {}
        for entry in instance.all_logs(run_id):
            event = entry.dagster_event
            if event is None or event.step_key is None:
                continue
            if event.event_type_value == "STEP_START":
                started[event.step_key] = entry.timestamp
            elif event.event_type_value in ("STEP_SUCCESS", "STEP_FAILURE"):
                windows[event.step_key] = (started.pop(event.step_key), entry.timestamp)
        return windows


def latest_run_id(home: Path) -> str:
    os.environ["DAGSTER_HOME"] = str(home)
    with dg.DagsterInstance.get() as instance:
        return instance.get_runs(limit=1)[0].run_id
