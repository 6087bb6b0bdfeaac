"""A Dagster instance on PostgreSQL with the run queue, and its daemon as a child process.

The instance settings are the project's dagster.yaml (the deployment's run queue, its limits
and run monitoring) with storage moved to PostgreSQL and the number of concurrent runs set,
as the README's deployment section does; the run launcher stays the default one (a process
per run) instead of a Kubernetes or Docker one.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import yaml

from sis_pipeline_tests.cli.shared_workers import INSTANCE_URL_VARIABLE

BIN = Path(sys.executable).parent
PROJECT_DAGSTER_YAML = Path(__file__).resolve().parents[2] / "dagster.yaml"


def queued_instance_settings(
    max_concurrent_runs: int, url_variable: str = INSTANCE_URL_VARIABLE
) -> dict:
    """dagster.yaml's settings, its storage on the PostgreSQL the `url_variable` names."""
    settings = yaml.safe_load(PROJECT_DAGSTER_YAML.read_text())
    settings["storage"] = {"postgres": {"postgres_url": {"env": url_variable}}}
    settings["run_queue"] = {**settings["run_queue"], "max_concurrent_runs": max_concurrent_runs}
    return settings


def queued_instance_yaml(
    max_concurrent_runs: int, url_variable: str = INSTANCE_URL_VARIABLE
) -> str:
    return yaml.safe_dump(
        queued_instance_settings(max_concurrent_runs, url_variable), sort_keys=False
    )


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
