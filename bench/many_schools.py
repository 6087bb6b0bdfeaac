"""Benchmark: many schools in one weekly slot, run by the daemon through the run queue.

    .venv/bin/python bench/many_schools.py --postgres DSN [--schools 200] [--concurrency 1 2 4]

A district of about 500 people per school is generated and served by the sandbox servers in
this process. For each concurrency, a fresh Dagster instance on PostgreSQL (a new database on
the server DSN names; nothing shared on disk) runs `dagster-daemon`: every school has the same
weekly slot, set to the coming minute, so the scheduler's one tick asks for all of them, and
the queue coordinator launches them, `max_concurrent_runs` at a time and one per school, each
in a process of its own (the default run launcher). Each school writes its own DuckDB file
and dlt folder. Prints the total wall time (first run created to last run finished) and
schools per minute, and extrapolates to 200 schools when fewer were run.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import dagster as dg
import psycopg2
import yaml

from sis_pipeline.cli.sandbox_servers import CLIENT_ID, CLIENT_SECRET, PLATFORM_TOKEN
from sis_pipeline.sandbox.district import generate_district
from sis_pipeline.sandbox.platform import PlatformServer
from sis_pipeline.sandbox.powerschool import PowerSchoolSimulator

PEOPLE_PER_SCHOOL = 500
BIN = Path(sys.executable).parent
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]


def instance_yaml(max_concurrent_runs: int) -> str:
    return f"""\
telemetry:
  enabled: false
storage:
  postgres:
    postgres_url:
      env: BENCH_DAGSTER_URL
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


def schools_file(path: Path, ps_url: str, platform_url: str, count: int, slot: datetime) -> None:
    schedule = {
        "weekday": WEEKDAYS[slot.weekday()],
        "time": slot.strftime("%H:%M"),
        "timezone": "UTC",
    }
    body = {
        "platform": {"url": platform_url, "token_env": "BENCH_PLATFORM_TOKEN"},
        "defaults": {
            "powerschool": {
                "url": ps_url,
                "client_id_env": "BENCH_PS_CLIENT_ID",
                "client_secret_env": "BENCH_PS_CLIENT_SECRET",
            },
        },
        "schools": {
            f"school{n:03d}": {
                "name": f"School {n}",
                "org_id": f"org-{n:03d}",
                "powerschool": {"school_numbers": [100 + n]},
                "schedule": schedule,
            }
            for n in range(count)
        },
    }
    path.write_text(yaml.safe_dump(body, sort_keys=False))


def on_server(server: str, statement: str) -> None:
    admin = psycopg2.connect(server)
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute(statement)
    admin.close()


def one_round(district, count: int, concurrency: int, server: str, folder: Path) -> float:
    orgs = {f"org-{n:03d}": f"School {n}" for n in range(count)}
    name = f"sis_bench_{uuid.uuid4().hex[:10]}"
    on_server(server, f"CREATE DATABASE {name}")
    try:
        return _timed_round(
            district, count, concurrency, f"{server.rsplit('/', 1)[0]}/{name}", orgs, folder
        )
    finally:
        on_server(server, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def _timed_round(
    district, count: int, concurrency: int, dsn: str, orgs: dict, folder: Path
) -> float:
    with (
        PowerSchoolSimulator(district.tables, CLIENT_ID, CLIENT_SECRET) as powerschool,
        PlatformServer(PLATFORM_TOKEN, orgs) as platform,
    ):
        now = datetime.now(UTC)
        slot = (now + timedelta(minutes=1 if now.second < 40 else 2)).replace(
            second=0, microsecond=0
        )
        home = folder / "dagster-home"
        home.mkdir(parents=True)
        (home / "dagster.yaml").write_text(instance_yaml(concurrency))
        (home / "workspace.yaml").write_text(WORKSPACE)
        config = folder / "schools.yaml"
        schools_file(config, powerschool.url, platform.url, count, slot)
        env = {
            **os.environ,
            "DAGSTER_HOME": str(home),
            "BENCH_DAGSTER_URL": dsn.replace("postgresql://", "postgresql+psycopg2://", 1),
            "SIS_PIPELINE_CONFIG": str(config),
            "SIS_PIPELINE_DATA_DIR": str(folder / "data"),
            "BENCH_PLATFORM_TOKEN": PLATFORM_TOKEN,
            "BENCH_PS_CLIENT_ID": CLIENT_ID,
            "BENCH_PS_CLIENT_SECRET": CLIENT_SECRET,
        }
        os.environ.update({k: env[k] for k in ("DAGSTER_HOME", "BENCH_DAGSTER_URL")})
        log = (folder / "daemon.log").open("w")
        daemon = subprocess.Popen(
            [str(BIN / "dagster-daemon"), "run", "-w", str(home / "workspace.yaml")],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            records = wait_for_runs(count, deadline=time.monotonic() + 3600)
        finally:
            os.killpg(daemon.pid, signal.SIGTERM)
            daemon.wait(timeout=60)
            log.close()
    failed = [r.dagster_run.run_id for r in records if r.dagster_run.status.value != "SUCCESS"]
    if failed:
        raise SystemExit(f"{len(failed)} runs did not succeed (see {folder}/daemon.log)")
    first = min(r.create_timestamp.timestamp() for r in records)
    last = max(r.end_time for r in records)
    return last - first


def wait_for_runs(count: int, deadline: float) -> list:
    with dg.DagsterInstance.get() as instance:
        while time.monotonic() < deadline:
            records = instance.get_run_records()
            if len(records) >= count and all(r.dagster_run.is_finished for r in records):
                return records
            time.sleep(2)
    raise SystemExit("the runs did not finish within an hour")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", default=os.environ.get("SIS_PIPELINE_TEST_POSTGRES"))
    parser.add_argument("--schools", type=int, default=200)
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 2, 4])
    args = parser.parse_args()
    if not args.postgres:
        raise SystemExit("--postgres DSN (or SIS_PIPELINE_TEST_POSTGRES) names the server")
    district = generate_district(
        PEOPLE_PER_SCHOOL * args.schools,
        seed=7,
        school_numbers=tuple(100 + n for n in range(args.schools)),
    )
    print(f"{args.schools} schools, {PEOPLE_PER_SCHOOL * args.schools} people, one weekly slot")
    print("max_concurrent_runs  wall time  schools/min  200 schools (extrapolated)")
    for concurrency in args.concurrency:
        with tempfile.TemporaryDirectory(prefix="sis-many-") as scratch:
            wall = one_round(district, args.schools, concurrency, args.postgres, Path(scratch))
        per_minute = args.schools / wall * 60
        print(
            f"{concurrency:>19}  {wall:>8.1f}s  {per_minute:>11.1f}  {200 / per_minute:>9.1f} min",
            flush=True,
        )


if __name__ == "__main__":
    main()
