"""`sis-pipeline` as a child process of a test: started, awaited, or killed at a chosen moment."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from sis_pipeline_tests.sync_harness import SyncHarness


def cli_home(harness: SyncHarness, name: str = "cli-home") -> Path:
    """A DAGSTER_HOME of its own for the child processes (telemetry off)."""
    home = harness.config_file.parent / name
    home.mkdir(exist_ok=True)
    (home / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    return home


def cli_environment(harness: SyncHarness, env: dict | None = None) -> dict[str, str]:
    return {
        **os.environ,
        **harness.environment,
        "DAGSTER_HOME": str(cli_home(harness)),
        **(env or {}),
    }


def start_cli(harness: SyncHarness, *args: str, env: dict | None = None) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "sis_pipeline.cli.main", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=cli_environment(harness, env),
    )


def run_cli(
    harness: SyncHarness, *args: str, env: dict | None = None
) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "sis_pipeline.cli.main", *args],
        capture_output=True,
        text=True,
        env=cli_environment(harness, env),
        timeout=300,
    )


def wait_until(condition: Callable[[], bool], timeout: float = 120, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what or condition}")
        time.sleep(0.02)


def kill_when(process: subprocess.Popen, condition: Callable[[], bool], what: str) -> None:
    """SIGKILL the process the moment `condition` holds; fail if it ended before that."""
    wait_until(lambda: condition() or process.poll() is not None, what=what)
    assert process.poll() is None, f"the run ended before {what}: {process.communicate()}"
    process.send_signal(signal.SIGKILL)
    process.communicate(timeout=30)
    assert process.returncode == -signal.SIGKILL
