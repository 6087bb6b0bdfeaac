"""`sis-pipeline ui`: the sandbox and the Dagster UI with its daemon, over the demo's own files.

The UI sees the demo's schools file, data folder and platform state (demo_workspace.py) and the
instance at DAGSTER_HOME the demo ran in, so it shows the demo's runs, and runs launched from
it (a school's sync, test run, reconciliation or backfill) continue the same history.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import subprocess
import sys
from pathlib import Path

from sis_pipeline.cli.demo_workspace import DemoWorkspace, DistrictRecipe, demo_sandbox
from sis_pipeline.cli.output import EXIT_OK

STOP_SECONDS = 20


def dagster_dev_command(host: str, port: int) -> list[str]:
    dagster = Path(sys.executable).with_name("dagster")
    return [
        str(dagster),
        "dev",
        *("-m", "sis_pipeline.definitions"),
        *("--host", host, "--port", str(port)),
    ]


def run(args: argparse.Namespace) -> int:
    workspace = DemoWorkspace.default()
    home = Path(os.environ.get("DAGSTER_HOME") or Path.cwd()).resolve()
    fresh = DistrictRecipe(people=args.people)
    with demo_sandbox(workspace, args.powerschool_port, args.platform_port, fresh=fresh) as (
        sandbox,
        config,
    ):
        environment = {
            **os.environ,
            **sandbox.environment(config),
            **workspace.environment(),
            "DAGSTER_HOME": str(home),
        }
        print(f"PowerSchool simulator: {sandbox.powerschool.url}")
        print(f"Platform server:       {sandbox.platform.url}")
        print(f"Schools file:          {workspace.schools_file}")
        print(f"Data folder:           {workspace.root}")
        print(f"Dagster instance:      {home}")
        print(f"Dagster UI:            http://{args.host}:{args.port} (Ctrl-C stops all)")
        sys.stdout.flush()
        return serve(dagster_dev_command(args.host, args.port), environment)


def serve(command: list[str], environment: dict[str, str]) -> int:
    """Run `dagster dev` until it ends or this process is interrupted or terminated."""
    # Its own process group: `dagster dev`'s webserver, daemon and code server are its
    # children, and only a signal to the whole group stops them all and frees the port.
    # Set before the start, so that the children do not inherit an ignored SIGINT (a shell
    # without job control starts background commands so) and can stop cleanly on it.
    stops = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
    previous = {number: signal.signal(number, _interrupt) for number in stops}
    process = subprocess.Popen(command, env=environment, start_new_session=True)
    try:
        return EXIT_OK if process.wait() == 0 else 1
    except KeyboardInterrupt:
        return EXIT_OK
    finally:
        for number in stops:  # a second Ctrl-C must not cut the stopping short
            signal.signal(number, signal.SIG_IGN)
        stop_group(process)
        for number, handler in previous.items():
            signal.signal(number, handler)


def stop_group(process: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C sends: dagster dev stops cleanly
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=STOP_SECONDS)
    # Whatever of the group outlived its leader would keep the ports.
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=5)


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt
