"""Workers that share one PostgreSQL: each its own DAGSTER_HOME and scratch data dir.

The Dagster instance (runs, events, schedules) and the schools' durable state live in the
same database; everything else a worker writes stays in its own folders.
"""

from __future__ import annotations

from pathlib import Path

from sis_pipeline.state.durable_store import STATE_URL_VARIABLE
from sis_pipeline_tests.sync_harness import SyncHarness

INSTANCE_URL_VARIABLE = "DAGSTER_POSTGRES_URL"

POSTGRES_INSTANCE = f"""\
telemetry:
  enabled: false
storage:
  postgres:
    postgres_url:
      env: {INSTANCE_URL_VARIABLE}
"""


def dagster_url(dsn: str) -> str:
    """dagster-postgres speaks through psycopg2; SQLAlchemy would pick psycopg 3 for
    `postgresql://`, on which dagster's NOTIFY statements fail."""
    return dsn.replace("postgresql://", "postgresql+psycopg2://", 1)


def worker_environment(
    harness: SyncHarness, name: str, dsn: str, data_dir: Path | None = None
) -> dict[str, str]:
    """The environment of worker `name`'s processes (pass as `env` to the CLI helpers)."""
    folder = harness.config_file.parent / name
    home = folder / "dagster-home"
    home.mkdir(parents=True, exist_ok=True)
    (home / "dagster.yaml").write_text(POSTGRES_INSTANCE)
    return {
        "DAGSTER_HOME": str(home),
        "SIS_PIPELINE_DATA_DIR": str(data_dir or folder / "data"),
        STATE_URL_VARIABLE: dsn,
        INSTANCE_URL_VARIABLE: dagster_url(dsn),
    }
