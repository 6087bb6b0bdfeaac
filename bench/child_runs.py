"""Run a sync (the real CLI) or a bare client in a child process and collect its figures."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import dagster as dg

BENCH = Path(__file__).resolve().parent

# The sync's own peak is VmHWM, not ru_maxrss: Linux carries the parent's high-water mark
# into a child's ru_maxrss across fork and exec, so ru_maxrss reported the bench process
# (which serves the whole district) whenever it was the larger.
CHILD = (
    "import sys\n"
    "from sis_pipeline.cli.main import main\n"
    "code = main(sys.argv[1:])\n"
    "with open('/proc/self/status') as status:\n"
    "    peak = next(line.split()[1] for line in status if line.startswith('VmHWM'))\n"
    "print('PEAK_RSS_KB', peak, file=sys.stderr)\n"
    "sys.exit(code)\n"
)
SAMPLE_EVERY = 0.01  # seconds


class RssSampler(threading.Thread):
    """Samples a process's RSS and its high-water mark (VmRSS, VmHWM in /proc/PID/status)
    from outside it, every SAMPLE_EVERY seconds.

    A thread inside the sync could not: it needs the GIL, and a step holding the GIL (a
    DataFrame built from DuckDB, pandera) would hide its own peak. The high-water mark
    catches a peak shorter than the interval: it is in the interval where the mark rose.
    """

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.path = f"/proc/{pid}/status"
        self.samples: list[tuple[float, int, int]] = []  # (epoch s, RSS MB, HWM MB)

    def run(self) -> None:
        while True:
            try:
                with open(self.path) as status:
                    fields = dict(line.split(":", 1) for line in status if line.startswith("Vm"))
            except (FileNotFoundError, ProcessLookupError):
                return
            if "VmRSS" not in fields:  # a zombie: the process has exited
                return
            mb = {k: int(v.split()[0]) >> 10 for k, v in fields.items() if k in ("VmRSS", "VmHWM")}
            self.samples.append((time.time(), mb["VmRSS"], mb["VmHWM"]))
            time.sleep(SAMPLE_EVERY)


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
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, "sync", "--school", "district", "--json"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    sampler = RssSampler(child.pid)
    sampler.start()
    stdout, stderr = child.communicate()
    wall = time.perf_counter() - began
    sampler.join()
    done = subprocess.CompletedProcess(child.args, child.returncode, stdout, stderr)
    peak = next(
        (int(line.split()[1]) for line in done.stderr.splitlines() if line.startswith("PEAK_RSS")),
        0,
    )
    samples = sampler.samples
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
    samples: list[tuple[float, int, int]], windows: dict[str, tuple[float, float]]
) -> dict[str, float]:
    """Peak RSS (MB) within each step, and before the first and after the last: the highest
    sample in it, or the high-water mark where the mark rose in it (to within one interval)."""
    spans = dict(windows)
    if windows and samples:
        first = min(start for start, _ in windows.values())
        last = max(end for _, end in windows.values())
        spans["(before the steps)"] = (0.0, first)
        spans["(after the steps)"] = (last, float("inf"))
    return {name: _peak_within(samples, start, end) for name, (start, end) in spans.items()}


def _peak_within(samples: list[tuple[float, int, int]], start: float, end: float) -> float:
    sampled = max((rss for t, rss, _ in samples if start <= t <= end), default=0)
    mark_before = max((hwm for t, _, hwm in samples if t < start), default=0)
    mark_after = next((hwm for t, _, hwm in samples if t > end), samples[-1][2] if samples else 0)
    return max(sampled, mark_after if mark_after > mark_before else 0)


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
