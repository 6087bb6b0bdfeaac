"""A sandbox with two schools, a schools file and a Dagster instance, for end-to-end tests."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import dagster as dg

from sis_pipeline.cli.run_reconcile import ReconcileOutcome, run_reconcile
from sis_pipeline.cli.run_sync import SyncOutcome, run_sync
from sis_pipeline.cli.sandbox_servers import Credentials, Sandbox, running_sandbox
from sis_pipeline.config.schools_file import SchoolsConfig, load_schools_config
from sis_pipeline.resources.schools import SchoolsResource
from sis_pipeline_tests.schools_files import TWO_SCHOOLS, write_schools_file

ORGS = {"riverdale-high": "Riverdale High School", "hillcrest-middle": "Hillcrest Middle School"}


@dataclass
class SyncHarness:
    sandbox: Sandbox
    config_file: Path
    config: SchoolsConfig
    schools: SchoolsResource
    instance: dg.DagsterInstance
    environment: dict[str, str]

    def sync(self, key: str = "riverdale", **options) -> SyncOutcome:
        return run_sync(self.config, key, schools=self.schools, instance=self.instance, **options)

    def reconcile(self, mapping_file: Path, key: str = "riverdale", **options) -> ReconcileOutcome:
        return run_reconcile(
            self.config, key, mapping_file, schools=self.schools, instance=self.instance, **options
        )

    def users(self, org: str = "riverdale-high") -> dict[str, dict]:
        return {user["host_id"]: user for user in self.sandbox.platform.users(org)}

    def rewrite_schools(self, body: str) -> None:
        write_schools_file(
            self.config_file, self.sandbox.powerschool.url, self.sandbox.platform.url, body
        )
        self.config = load_schools_config(self.config_file)


@contextmanager
def sync_harness(
    tmp_path: Path,
    people: int = 300,
    schools: str = TWO_SCHOOLS,
    credentials: Credentials | None = None,
    retry_max_seconds: float = 15,
) -> Iterator[SyncHarness]:
    (tmp_path / "dagster").mkdir()
    with (
        running_sandbox(
            ORGS, people=people, seed=11, credentials=credentials or Credentials()
        ) as sandbox,
        dg.instance_for_test(temp_dir=str(tmp_path / "dagster")) as instance,
    ):
        config_file = write_schools_file(
            tmp_path / "schools.yaml", sandbox.powerschool.url, sandbox.platform.url, schools
        )
        config = load_schools_config(config_file)
        environment = sandbox.environment(config)
        saved = {name: os.environ.get(name) for name in environment}
        os.environ.update(environment)
        try:
            yield SyncHarness(
                sandbox,
                config_file,
                config,
                SchoolsResource(
                    config_file=str(config_file),
                    data_directory=str(tmp_path / "data"),
                    retry_max_seconds=retry_max_seconds,
                ),
                instance,
                {
                    **environment,
                    "SIS_PIPELINE_CONFIG": str(config_file),
                    "SIS_PIPELINE_DATA_DIR": str(tmp_path / "data"),
                },
            )
        finally:
            for name, value in saved.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value
