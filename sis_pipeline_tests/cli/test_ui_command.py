"""The Dagster UI for real: `sis-pipeline ui` starts the sandbox, the webserver and the daemon on
loopback; the test reads the definitions and launches a test run and a sync of one school
through GraphQL, as an operator's browser would, and reads the runs and check results back."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]
SCHOOL = "riverdale"
LOCATION = "sis_pipeline.definitions"
START_SECONDS = 150  # the machine may be busy; dagster dev answers in ~5 s when it is not
RUN_SECONDS = 180

GRAPH_QUERY = """
{
  assetNodes {
    assetKey { path }
    groupName
    dependencyKeys { path }
    partitionKeys
    assetChecksOrError {
      ... on AssetChecks { checks { name description blocking } }
    }
  }
  repositoriesOrError {
    ... on RepositoryConnection {
      nodes {
        name
        location { name }
        jobs { name description }
        schedules { name }
        sensors { name sensorState { status } }
      }
    }
  }
}
"""

LAUNCH = """
mutation($params: ExecutionParams!) {
  launchRun(executionParams: $params) {
    __typename
    ... on LaunchRunSuccess { run { runId } }
    ... on PythonError { message }
  }
}
"""

RUN = """
query($id: ID!) {
  runOrError(runId: $id) {
    ... on Run { status jobName tags { key value } }
  }
}
"""

PLATFORM_SYNC = """
{
  assetOrError(assetKey: {path: ["platform_sync"]}) {
    ... on Asset {
      assetMaterializations(partitions: ["riverdale"], limit: 10) {
        runId partition
        metadataEntries {
          label
          ... on BoolMetadataEntry { boolValue }
          ... on IntMetadataEntry { intValue }
        }
      }
    }
  }
  assetCheckExecutions(
    assetKey: {path: ["roster"]}, checkName: "roster_rows_valid", partition: "riverdale", limit: 10
  ) {
    runId status partition
    evaluation { metadataEntries { label ... on TextMetadataEntry { text } } }
  }
  other: assetCheckExecutions(
    assetKey: {path: ["roster"]}, checkName: "roster_rows_valid", partition: "hillcrest", limit: 10
  ) { runId }
}
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def graphql(port: int, query: str, variables: dict | None = None) -> dict:
    response = httpx.post(
        f"http://127.0.0.1:{port}/graphql",
        json={"query": query, "variables": variables or {}},
        timeout=60,
    )
    assert response.status_code == 200, response.text[:2000]
    body = response.json()
    assert "errors" not in body, body["errors"]
    return body["data"]


def wait_for(what: str, seconds: float, probe):
    deadline = time.monotonic() + seconds
    while True:
        with contextlib.suppress(httpx.HTTPError):
            found = probe()
            if found:
                return found
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {seconds:.0f} s waiting for {what}")
        time.sleep(1)


def launch(port: int, job: str) -> str:
    params = {
        "selector": {
            "repositoryLocationName": LOCATION,
            "repositoryName": "__repository__",
            "jobName": job,
        },
        "executionMetadata": {"tags": [{"key": "dagster/partition", "value": SCHOOL}]},
    }
    result = graphql(port, LAUNCH, {"params": params})["launchRun"]
    assert result["__typename"] == "LaunchRunSuccess", result
    return result["run"]["runId"]


def finished_run(port: int, run_id: str) -> dict:
    def probe():
        run = graphql(port, RUN, {"id": run_id})["runOrError"]
        return run if run["status"] in ("SUCCESS", "FAILURE", "CANCELED") else None

    return wait_for(f"run {run_id}", RUN_SECONDS, probe)


def stop(process: subprocess.Popen) -> None:
    """`ui` stops its dagster dev group on SIGTERM; kill everything left if it does not."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=60)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)


def test_the_ui_shows_the_pipeline_and_runs_what_it_launches(tmp_path):
    home = tmp_path / "dagster-home"
    home.mkdir()
    shutil.copy(ROOT / "dagster.yaml", home / "dagster.yaml")  # run queue and its limits
    port = free_port()
    environment = {
        **os.environ,
        "DAGSTER_HOME": str(home),
        "SIS_PIPELINE_DATA_DIR": str(tmp_path / "data"),
    }
    log = (tmp_path / "ui.log").open("w")
    # Its own process group, so that the test can stop it and all its children.
    ui = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("sis-pipeline")),
            *("ui", "--people", "300", "--port", str(port)),
            *("--powerschool-port", "0", "--platform-port", "0"),
        ],
        cwd=tmp_path,
        env=environment,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        data = wait_for(
            "the UI's GraphQL with the code location loaded",
            START_SECONDS,
            lambda: (answer := graphql(port, GRAPH_QUERY))["assetNodes"] and answer,
        )
        check_definitions(data)

        # A test run first: it reports what a sync would create and sends nothing, so the
        # sync after it creates exactly as many.
        test_run_id = launch(port, "school_test_run")
        test_run = finished_run(port, test_run_id)
        sync_id = launch(port, "school_sync")
        sync = finished_run(port, sync_id)
        for run, outcome in ((test_run, "test_run"), (sync, "applied")):
            assert run["status"] == "SUCCESS", (run, (tmp_path / "ui.log").read_text()[-3000:])
            tags = {tag["key"]: tag["value"] for tag in run["tags"]}
            assert tags["dagster/partition"] == SCHOOL
            assert tags["sis_pipeline/org"] == "riverdale-high"
            assert tags["sis_pipeline/outcome"] == outcome
        assert (test_run["jobName"], sync["jobName"]) == ("school_test_run", "school_sync")

        results = graphql(port, PLATFORM_SYNC)
        by_run = {
            entry["runId"]: {
                m["label"]: m.get("boolValue", m.get("intValue")) for m in entry["metadataEntries"]
            }
            for entry in results["assetOrError"]["assetMaterializations"]
        }
        assert by_run[test_run_id]["test_run"] is True
        assert by_run[sync_id]["test_run"] is False
        # A test run says what it would create, never "created".
        assert "created" not in by_run[test_run_id]
        assert by_run[test_run_id]["would_create"] == by_run[sync_id]["created"] > 0

        checks = {entry["runId"]: entry for entry in results["assetCheckExecutions"]}
        assert set(checks) == {test_run_id, sync_id}
        for entry in checks.values():
            assert (entry["status"], entry["partition"]) == ("SUCCEEDED", SCHOOL)
            metadata = {m["label"]: m.get("text") for m in entry["evaluation"]["metadataEntries"]}
            assert metadata["school"] == SCHOOL
        assert results["other"] == []  # hillcrest's checks did not run
    finally:
        stop(ui)
        log.close()
    with socket.socket() as sock:  # nothing of the UI is left on its port
        assert sock.connect_ex(("127.0.0.1", port)) != 0


def check_definitions(data: dict) -> None:
    nodes = {"/".join(node["assetKey"]["path"]): node for node in data["assetNodes"]}
    assert {"roster", "platform_users", "reconciliation", "changeset", "platform_sync"} <= set(
        nodes
    )
    assert {key for key in nodes if key.startswith("powerschool/")}
    assert {"/".join(dep["path"]) for dep in nodes["platform_sync"]["dependencyKeys"]} == {
        "changeset"
    }
    for node in nodes.values():
        assert sorted(node["partitionKeys"]) == ["hillcrest", "riverdale"]
    roster_checks = {c["name"]: c for c in nodes["roster"]["assetChecksOrError"]["checks"]}
    assert set(roster_checks) == {"roster_rows_valid", "no_quarantined_rows"}
    assert roster_checks["roster_rows_valid"]["blocking"]
    assert all(check["description"] for check in roster_checks.values())

    [repository] = data["repositoriesOrError"]["nodes"]
    assert repository["location"]["name"] == LOCATION
    jobs = {job["name"]: job["description"] for job in repository["jobs"]}
    assert {"school_sync", "school_test_run", "school_reconcile"} <= set(jobs)
    assert "send nothing" in jobs["school_test_run"]
    # The demo schools file says `schedule: off`: nothing syncs them by itself.
    assert repository["schedules"] == []
    sensors = {sensor["name"]: sensor["sensorState"]["status"] for sensor in repository["sensors"]}
    assert sensors == {
        "reconciliation_mapping_files": "RUNNING",
        "dead_runs": "RUNNING",
        "report_failed_runs": "RUNNING",
        "report_canceled_runs": "RUNNING",
        "report_unhooked_runs": "RUNNING",
    }
