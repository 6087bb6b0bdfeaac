"""`sis-pipeline` as a subprocess: exit codes, stderr lines, --json, and nothing written on 2."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import dagster as dg
import pytest

from sis_pipeline.cli.output import SUMMARY_KEYS
from sis_pipeline_tests.schools_files import TWO_SCHOOLS
from sis_pipeline_tests.sync_harness import sync_harness


@pytest.fixture
def harness(tmp_path):
    with sync_harness(tmp_path) as harness:
        yield harness


def cli(harness, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    home = harness.config_file.parent / "cli-home"
    home.mkdir(exist_ok=True)
    (home / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    environment = {**os.environ, **harness.environment, "DAGSTER_HOME": str(home), **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "sis_pipeline.cli.main", *args],
        capture_output=True,
        text=True,
        env=environment,
        timeout=300,
    )


def test_sync_json_summary_and_exit_0(harness):
    done = cli(harness, "sync", "--school", "riverdale", "--json")
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout.strip().splitlines()[-1])
    assert list(summary) == list(SUMMARY_KEYS)
    assert summary["school"] == "riverdale" and summary["test_run"] is False
    assert summary["created"] == len(harness.users()) > 0
    assert "Traceback" not in done.stderr
    # The sync is a run in the instance at DAGSTER_HOME, so the UI lists it.
    home = harness.config_file.parent / "cli-home"
    with dg.DagsterInstance.from_config(str(home)) as instance:
        (run,) = instance.get_runs()
    assert run.job_name == "school_sync" and run.tags["dagster/partition"] == "riverdale"
    assert run.status == dg.DagsterRunStatus.SUCCESS


def test_test_run_flag_applies_nothing(harness):
    done = cli(harness, "sync", "--school", "riverdale", "--test-run", "--json")
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout.strip().splitlines()[-1])
    assert summary["test_run"] is True and summary["created"] > 0
    assert harness.users() == {}


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (
            ("  optional_fields: [email]", "  optional_fields: [email]\n    colour: blue"),
            "schools.riverdale.colour: unknown key",
        ),
        (("  org_id: riverdale-high", "  org_id: riverdale high"), "schools.riverdale.org_id:"),
    ],
)
def test_bad_schools_file_exits_2_with_one_line_and_writes_nothing(harness, edit, expected):
    harness.rewrite_schools(TWO_SCHOOLS)
    text = harness.config_file.read_text().replace(*edit)
    harness.config_file.write_text(text)
    done = cli(harness, "sync", "--school", "riverdale", "--json")
    assert done.returncode == 2
    assert done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and expected in lines[0]
    assert not (harness.config_file.parent / "data").exists()
    assert harness.sandbox.powerschool.request_counts == {}


def test_missing_secret_env_var_is_named(harness):
    done = cli(harness, "sync", "--school", "riverdale", env={"TEST_PS_CLIENT_SECRET": ""})
    assert done.returncode == 2
    assert "environment variable TEST_PS_CLIENT_SECRET is not set" in done.stderr
    assert "sandbox-secret" not in done.stderr + done.stdout


def test_unknown_school_and_bad_usage_exit_2(harness):
    assert cli(harness, "sync", "--school", "nowhere").returncode == 2
    assert cli(harness, "sync").returncode == 2
    assert cli(harness, "frobnicate").returncode == 2


def test_refused_credentials_exit_1_without_traceback_or_secret(harness):
    done = cli(harness, "sync", "--school", "riverdale", env={"TEST_PS_CLIENT_SECRET": "leaky-42"})
    assert done.returncode == 1
    assert "refused the client credentials" in done.stderr
    assert "Traceback" not in done.stderr and "leaky-42" not in done.stderr + done.stdout


def test_check_and_plugin_commands(harness, tmp_path):
    checked = cli(harness, "check", "--school", "riverdale")
    assert checked.returncode == 0, checked.stderr
    assert "PowerSchool: reachable" in checked.stdout and "platform: reachable" in checked.stdout
    refused = cli(harness, "check", "--school", "riverdale", env={"TEST_PLATFORM_TOKEN": "bad"})
    assert refused.returncode == 1 and "refused the API token" in refused.stderr

    target = tmp_path / "plugin.xml"
    written = cli(harness, "plugin", "--school", "riverdale", "-o", str(target))
    assert written.returncode == 0
    assert 'field="LASTNAME"' in target.read_text()
    printed = cli(harness, "plugin", "--school", "hillcrest")
    assert printed.returncode == 0 and 'table="PERSON"' not in printed.stdout
