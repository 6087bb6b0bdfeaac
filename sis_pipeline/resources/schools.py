"""Dagster resources: the schools file, each school's files, and the per-run sync options."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path

import dagster as dg
import duckdb
from pydantic import Field, PrivateAttr

from sis_pipeline.config.models import SchoolSettings
from sis_pipeline.config.schools_file import (
    SchoolsConfig,
    config_path,
    data_dir,
    load_schools_config,
)
from sis_pipeline.http.retry import RetryPolicy
from sis_pipeline.resources.clients import platform_client, powerschool_client
from sis_pipeline.resources.dead_runs import PARTITION_TAG
from sis_pipeline.resources.run_guard import school_run, shared_school_run
from sis_pipeline.sources.platform.client import PlatformClient
from sis_pipeline.sources.powerschool.client import PowerSchoolClient
from sis_pipeline.state.durable_store import (
    LOCAL_STATE,
    LocalState,
    SharedState,
    state_url,
)


@contextmanager
def owner_only_files() -> Iterator[None]:
    """Files and folders created meanwhile are readable by their owner only.

    The data dir holds personal data and dlt writes its own files there, so a umask is the one
    setting that covers every file, whoever creates it. The umask is per process: a run owns
    its process (the CLI, or Dagster's run worker).
    """
    previous = os.umask(0o077)
    try:
        yield
    finally:
        os.umask(previous)


class SchoolsResource(dg.ConfigurableResource):
    """Where the schools file and the data live; hands out each school's files and clients.

    Secrets are read from the environment variables the schools file names, at the moment a
    client is made, and go nowhere else. `retry_max_seconds` bounds how long a call keeps
    retrying an API that fails (the platform asks for at least a minute on writes).

    The schools file is parsed at the first use and kept: every step of a run sees the same
    settings, even if the file is edited meanwhile. Dagster makes a fresh copy of the resource
    for each run, so the next run reads the file again.
    """

    config_file: str = Field(
        default="",
        description="Path of the schools file; empty: SIS_PIPELINE_CONFIG, else data/schools.yaml.",
    )
    data_directory: str = Field(
        default="",
        description="Folder of the schools' DuckDB files, reports and exports; empty: "
        "SIS_PIPELINE_DATA_DIR, else data.",
    )
    retry_max_seconds: float = Field(
        default=120.0,
        description="How long one API call keeps retrying a failing PowerSchool or platform "
        "before the run fails (seconds).",
    )
    _config: SchoolsConfig | None = PrivateAttr(default=None)
    _shared: tuple[str, SharedState] | None = PrivateAttr(default=None)

    @contextmanager
    def yield_for_execution(self, context: dg.InitResourceContext) -> Iterator[SchoolsResource]:
        """A run of a school holds that school's lock from its first step to its last."""
        key = context.run.tags.get(PARTITION_TAG) if context.run else None
        with owner_only_files():
            if key is None:  # a sensor or schedule tick, or a run of no school
                yield self
                return
            with school_run(context.instance, context.run, self.school_dir(key), key):
                url = state_url()
                if url is None:
                    yield self
                    return
                # Beyond this machine: the school's lock and durable state in PostgreSQL.
                with shared_school_run(context.instance, context.run, key, url) as shared:
                    with self.connect(key) as con:
                        shared.load_into(con)
                    self._shared = (key, shared)
                    try:
                        yield self
                    finally:
                        self._shared = None

    def config(self) -> SchoolsConfig:
        if self._config is None:
            path = Path(self.config_file) if self.config_file else config_path()
            self._config = load_schools_config(path)
        return self._config

    def school(self, key: str) -> SchoolSettings:
        return self.config().school(key)

    @property
    def root(self) -> Path:
        return Path(self.data_directory) if self.data_directory else data_dir()

    def school_dir(self, key: str) -> Path:
        path = self.root / "schools" / key
        path.mkdir(parents=True, exist_ok=True, mode=0o700)
        return path

    def database_path(self, key: str) -> Path:
        return self.school_dir(key) / "sis.duckdb"

    @contextmanager
    def connect(self, key: str) -> Iterator[duckdb.DuckDBPyConnection]:
        path = self.database_path(key)
        con = duckdb.connect(str(path))
        try:
            con.execute("CREATE SCHEMA IF NOT EXISTS sync")
            yield con
        finally:
            con.close()
            if path.exists():
                path.chmod(0o600)

    def durable(self, key: str) -> LocalState:
        """Where the school's durable tables are written through to, besides its DuckDB file."""
        if self._shared is not None and self._shared[0] == key:
            return self._shared[1]
        if state_url() is not None:
            raise RuntimeError(f"schools.{key}: the shared state is opened by a run of the school")
        return LOCAL_STATE

    def _policy(self) -> RetryPolicy:
        return RetryPolicy(max_total_seconds=self.retry_max_seconds)

    def powerschool_client(self, key: str) -> PowerSchoolClient:
        return powerschool_client(self.config(), key, self._policy())

    def platform_client(self, key: str) -> PlatformClient:
        return platform_client(self.config(), key, self._policy())


class SyncOptions(dg.ConfigurableResource):
    """Per-run switches: the CLI's flags, or the launchpad's resource config in the UI."""

    test_run: bool = Field(
        default=False,
        description="Compute and report the changeset, send nothing to the platform. The "
        "school's `test_run: true` in the schools file cannot be turned off here.",
    )
    allow_mass_deactivation: bool = Field(
        default=False,
        description="Let this run's held deactivations through (mass or source-health holds).",
    )
    allow_mass_changes: bool = Field(
        default=False,
        description="Let this run through every safety hold: mass creates, blanked fields and "
        "deactivations. For a run whose held changes someone has reviewed.",
    )
    as_of_date: str = Field(
        default="",
        description="The day the run treats as today (YYYY-MM-DD), for enrolment and contact "
        "dates; empty: the run's date in UTC.",
    )

    def today(self) -> date:
        if self.as_of_date:
            return date.fromisoformat(self.as_of_date)
        return datetime.now(UTC).date()
