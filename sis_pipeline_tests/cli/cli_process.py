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


def fork_cli(args: list[str], env: dict[str, str], output: Path) -> int:
    """`sis-pipeline ARGS` in a forked child with `env`, its stdout and stderr in `output`.

    A fork of the test process starts in milliseconds with everything imported, where a new
    interpreter spends seconds importing Dagster: for tests that start many runs at once.
    """
    pid = os.fork()
    if pid:
        return pid
    code = 70
    try:
        handle = os.open(output, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.dup2(handle, 1)
        os.dup2(handle, 2)
        sys.stdout = open(1, "w", closefd=False)  # noqa: SIM115
        sys.stderr = open(2, "w", closefd=False)  # noqa: SIM115
        os.environ.update(env)
        from sis_pipeline.cli.main import main

        code = main(args)
    except BaseException:
        import traceback

        traceback.print_exc()
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def wait_forked(pid: int, timeout: float = 120) -> int:
    """The forked child's exit status (negative: the signal that ended it)."""
    deadline = time.monotonic() + timeout
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return os.waitstatus_to_exitcode(status)
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            raise AssertionError(f"sis-pipeline child {pid} still running after {timeout} s")
        time.sleep(0.02)
