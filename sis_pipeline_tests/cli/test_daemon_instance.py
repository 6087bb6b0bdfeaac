"""The PostgreSQL instance the daemon tests and the many-schools bench use is dagster.yaml's."""

from __future__ import annotations

import yaml
from dagster._core.instance.config import dagster_instance_config

from sis_pipeline_tests.cli.daemon_instance import (
    PROJECT_DAGSTER_YAML,
    queued_instance_settings,
    write_home,
)


def test_the_queued_instance_is_the_project_settings_on_postgres():
    project = yaml.safe_load(PROJECT_DAGSTER_YAML.read_text())
    settings = queued_instance_settings(7, url_variable="SOME_URL")
    assert settings["storage"] == {"postgres": {"postgres_url": {"env": "SOME_URL"}}}
    assert settings["run_queue"]["max_concurrent_runs"] == 7
    assert settings["run_queue"] == {**project["run_queue"], "max_concurrent_runs": 7}
    assert {k: v for k, v in settings.items() if k != "storage" and k != "run_queue"} == {
        k: v for k, v in project.items() if k != "storage" and k != "run_queue"
    }


def test_dagster_accepts_the_queued_instance_settings(tmp_path):
    home = write_home(tmp_path / "home", max_concurrent_runs=3)
    config, _ = dagster_instance_config(str(home))
    assert config["run_queue"]["max_concurrent_runs"] == 3
    assert "postgres" in config["storage"]
