"""A Dagster instance on PostgreSQL with the run queue, and its daemon as a child process.

The same instance settings the README's deployment section gives, with the default run
launcher (a process per run) instead of a Kubernetes or Docker one.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sis_pipeline_tests.cli.shared_workers import INSTANCE_URL_VARIABLE

BIN = Path(sys.executable).parent


def queued_instance_yaml(max_concurrent_runs: int) -> str:
    return f"""\
telemetry:
  enabled: false
storage:
  postgres:
    postgres_url:
      env: {INSTANCE_URL_VARIABLE}
run_coordinator:
  module: dagster.core.run_coordinator
  class: QueuedRunCoordinator
  config:
    max_concurrent_runs: {max_concurrent_runs}
    dequeue_interval_seconds: 1
    tag_concurrency_limits:
      - key: dagster/partition
        value:
          applyLimitPerUniqueValue: true
        limit: 1
run_launcher:
  module: dagster.core.launcher
  class: DefaultRunLauncher
"""


WORKSPACE = """\
load_from:
  - python_module:
      module_name: sis_pipeline.definitions
      attribute: defs
"""


def write_home(home: Path, max_concurrent_runs: int) -> Path:
    """DAGSTER_HOME with the queued PostgreSQL instance, and the workspace file in it."""
    home.mkdir(parents=True, exist_ok=True)
    (home / "dagster.yaml").write_text(queued_instance_yaml(max_concurrent_runs))
    (home / "workspace.yaml").write_text(WORKSPACE)
    return home


@contextmanager
def running_daemon(home: Path, env: dict[str, str], log: Path) -> Iterator[subprocess.Popen]:
    """`dagster-daemon run` over the instance at `home`, stopped (its group) at the end."""
    with log.open("w") as out:
        daemon = subprocess.Popen(
            [str(BIN / "dagster-daemon"), "run", "-w", str(home / "workspace.yaml")],
            env={**os.environ, **env, "DAGSTER_HOME": str(home)},
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            yield daemon
        finally:
            os.killpg(daemon.pid, signal.SIGTERM)
            try:
                daemon.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(daemon.pid, signal.SIGKILL)
                daemon.wait(timeout=30)
