"""`sis-pipeline reconcile` as a subprocess: exit codes, stderr lines, --json, the files."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from sis_pipeline.cli.output import RECONCILE_KEYS
from sis_pipeline_tests.returning_school import old_accounts, write_mapping
from sis_pipeline_tests.sync_harness import sync_harness


@pytest.fixture
def harness(tmp_path):
    with sync_harness(tmp_path) as harness:
        yield harness


def cli(harness, *args: str) -> subprocess.CompletedProcess:
    home = harness.config_file.parent / "cli-home"
    home.mkdir(exist_ok=True)
    (home / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    return subprocess.run(
        [sys.executable, "-m", "sis_pipeline.cli.main", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **harness.environment, "DAGSTER_HOME": str(home)},
        timeout=300,
    )


MALFORMED = [
    (None, "mapping file not found"),
    (b"1234,S1234\n", "line 1: the header must name old_host_id and new_host_id once each"),
    (b"old_host_id,new_host_id\n1,S1,S2\n", "line 2: 3 values where the header has 2 columns"),
]


def test_an_unreadable_mapping_exits_2_with_one_line_and_reads_nothing(harness, tmp_path):
    for number, (content, problem) in enumerate(MALFORMED):
        mapping = tmp_path / f"mapping-{number}.csv"
        if content is not None:
            mapping.write_bytes(content)
        done = cli(
            harness, "reconcile", "--school", "riverdale", "--mapping", str(mapping), "--json"
        )
        assert done.returncode == 2
        assert done.stdout == ""
        assert done.stderr.strip().splitlines() == [f"sis-pipeline: error: {mapping}: {problem}"]
    assert not (tmp_path / "data").exists()
    assert harness.sandbox.powerschool.request_counts == {}


def test_a_test_run_reports_the_plan_rejections_and_proposals_and_applies_nothing(
    harness, tmp_path
):
    accounts = old_accounts(harness.sandbox.district)
    unmapped = next(new for new, a in accounts.items() if a["host_id"] == new[1:])
    harness.sandbox.platform.seed_users("riverdale-high", list(accounts.values()))
    before = harness.users()
    mapped = [(a["host_id"], new) for new, a in accounts.items() if new != unmapped]
    mapping = write_mapping(tmp_path / "mapping.csv", [*mapped, (mapped[0][0], "S1")])

    done = cli(
        harness, "reconcile", "--school", "riverdale", "--mapping", str(mapping), "--test-run",
        "--json",
    )  # fmt: skip
    assert done.returncode == 1, done.stderr
    summary = json.loads(done.stdout.strip().splitlines()[-1])
    assert list(summary) == list(RECONCILE_KEYS)
    assert summary == {
        "school": "riverdale",
        "test_run": True,
        "renamed": len(mapped) - 1,
        "rejected": 2,
        "proposed": 1,
        "failed": 0,
    }
    assert harness.users() == before  # a test run sends nothing
    errors = done.stderr.strip().splitlines()
    assert errors == [
        f"sis-pipeline: error: {mapping} line 2: {mapped[0][0]} -> {mapped[0][1]}: "
        "rejected: duplicate_old_id",
        f"sis-pipeline: error: {mapping} line {len(mapped) + 2}: {mapped[0][0]} -> S1: "
        "rejected: duplicate_old_id",
    ]
    assert "Traceback" not in done.stderr

    proposals_line = next(line for line in done.stdout.splitlines() if "Proposals" in line)
    proposals = Path(proposals_line.rsplit(": ", 1)[1])
    assert proposals.parent == tmp_path / "data" / "reports" / "riverdale"
    assert proposals.stat().st_mode & 0o777 == 0o600
    with proposals.open(newline="") as handle:
        rows = list(csv.reader(handle))
    old = accounts[unmapped]
    assert rows == [
        ["old_host_id", "new_host_id", "member_type", "tier", "evidence", "ambiguous"],
        [old["host_id"], unmapped, "student", "1", rows[1][4], "False"],
    ]
    assert "raw_id" in rows[1][4]
    assert old["first_name"] not in proposals.read_text()
