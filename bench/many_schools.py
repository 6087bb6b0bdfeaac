"""Benchmark: many schools in one weekly slot, run by the daemon through the run queue.

    .venv/bin/python bench/many_schools.py --postgres DSN [--schools 200] [--concurrency 1 2 4]

A district of about 500 people per school is generated and served by the sandbox servers in
this process. For each concurrency, a fresh Dagster instance on PostgreSQL (a new database on
the server DSN names; nothing shared on disk) runs `dagster-daemon`: every school has the same
weekly slot, set to the coming minute, so the scheduler's one tick asks for all of them, and
the queue coordinator launches them, `max_concurrent_runs` at a time and one per school, each
in a process of its own (the default run launcher). Each school writes its own DuckDB file
and dlt folder. Prints the total wall time (first run created to last run finished),
schools per minute (extrapolated to 200 schools when fewer were run), the load average
sampled during the round (the machine may be shared) and the CPU seconds per school, which
bound the schools per minute on a given number of cores whatever else runs there. Every run
must succeed, and nothing may write a file outside its school's or its run's own folder.
"""

from __future__ import annotations

import argparse
import os
import resource
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import dagster as dg
import psycopg2
import yaml

from sis_pipeline.cli.sandbox_servers import CLIENT_ID, CLIENT_SECRET, PLATFORM_TOKEN
from sis_pipeline.sandbox.district import generate_district
from sis_pipeline.sandbox.platform import PlatformServer
from sis_pipeline.sandbox.powerschool import PowerSchoolSimulator
from sis_pipeline_tests.cli.daemon_instance import WORKSPACE, queued_instance_yaml

PEOPLE_PER_SCHOOL = 500
URL_VARIABLE = "BENCH_DAGSTER_URL"
BIN = Path(sys.executable).parent
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]


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


@dataclass
class Round:
    wall: float
    failures: list[str]
    shared_writes: list[str]
    load: list[float] = field(default_factory=list)
    dagster_cpu: float = 0.0  # the daemon, its code servers and the runs they started
    servers_cpu: float = 0.0  # the sandbox servers in this process (and its polling)


def one_round(district, count: int, concurrency: int, server: str, folder: Path) -> Round:
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
) -> Round:
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
        (home / "dagster.yaml").write_text(queued_instance_yaml(concurrency, URL_VARIABLE))
        (home / "workspace.yaml").write_text(WORKSPACE)
        config = folder / "schools.yaml"
        schools_file(config, powerschool.url, platform.url, count, slot)
        env = {
            **os.environ,
            "DAGSTER_HOME": str(home),
            URL_VARIABLE: dsn.replace("postgresql://", "postgresql+psycopg2://", 1),
            "SIS_PIPELINE_CONFIG": str(config),
            "SIS_PIPELINE_DATA_DIR": str(folder / "data"),
            "BENCH_PLATFORM_TOKEN": PLATFORM_TOKEN,
            "BENCH_PS_CLIENT_ID": CLIENT_ID,
            "BENCH_PS_CLIENT_SECRET": CLIENT_SECRET,
        }
        os.environ.update({k: env[k] for k in ("DAGSTER_HOME", URL_VARIABLE)})
        started = time.time()
        children, own = cpu_seconds(resource.RUSAGE_CHILDREN), cpu_seconds(resource.RUSAGE_SELF)
        log = (folder / "daemon.log").open("w")
        daemon = subprocess.Popen(
            [str(BIN / "dagster-daemon"), "run", "-w", str(home / "workspace.yaml")],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        load: list[float] = []
        try:
            with dg.DagsterInstance.get() as instance:
                records = wait_for_runs(instance, count, time.monotonic() + 3 * 3600, load)
                failures = failed_runs(instance, records)
        finally:
            os.killpg(daemon.pid, signal.SIGTERM)
            daemon.wait(timeout=60)
            log.close()
        # Each process waits for the ones it started, so the daemon's reaped descendants'
        # CPU time lands in this process's children's account once the daemon is waited for.
        dagster_cpu = cpu_seconds(resource.RUSAGE_CHILDREN) - children
        servers_cpu = cpu_seconds(resource.RUSAGE_SELF) - own
    first = min(r.create_timestamp.timestamp() for r in records)
    last = max(r.end_time for r in records)
    if len(records) != count:
        failures.append(f"{len(records)} runs for {count} schools")
    writes = shared_writes(folder, count, started)
    return Round(last - first, failures, writes, load, dagster_cpu, servers_cpu)


def cpu_seconds(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def wait_for_runs(
    instance: dg.DagsterInstance, count: int, deadline: float, load: list[float]
) -> list:
    while time.monotonic() < deadline:
        records = instance.get_run_records()
        if records:
            load.append(os.getloadavg()[0])
        if len(records) >= count and all(r.dagster_run.is_finished for r in records):
            return records
        time.sleep(2)
    raise SystemExit(f"the runs did not finish in time; {len(records)} created")


def failed_runs(instance: dg.DagsterInstance, records: list) -> list[str]:
    """One line per run that did not succeed: its school, status and the first error."""
    failures = []
    for record in records:
        run = record.dagster_run
        if run.status == dg.DagsterRunStatus.SUCCESS:
            continue
        errors = instance.all_logs(run.run_id, of_type=dg.DagsterEventType.STEP_FAILURE)
        errors = errors or instance.all_logs(run.run_id, of_type=dg.DagsterEventType.RUN_FAILURE)
        reason = errors[0].message.splitlines()[0][:160] if errors else "no failure event"
        failures.append(f"{run.tags.get('dagster/partition')} {run.status.value}: {reason}")
    return failures


def shared_writes(folder: Path, count: int, since: float) -> list[str]:
    """Files the round wrote that more than one run could touch, or a SQLite instance.

    Each school writes its own folder (its DuckDB file and dlt pipeline) and each run its own
    compute logs and report; anything else written during the round (or any SQLite file,
    which would mean the instance fell back from PostgreSQL) is a file runs might contend on.
    """
    found = []
    schools = folder / "data" / "schools"
    reports = folder / "data" / "reports"  # reports/<school>/run-<run id>.html
    for n in range(count):
        own = schools / f"school{n:03d}"
        if not (own / "sis.duckdb").is_file() or not (own / "dlt").is_dir():
            found.append(f"{own}: no DuckDB file or dlt folder of its own")
    home = folder / "dagster-home"
    compute_logs = home / "storage"
    for path in folder.rglob("*"):
        if not path.is_file() or path.stat().st_mtime < since:
            continue
        if path.suffix in {".db", ".sqlite"} or path.name.endswith((".db-wal", ".db-journal")):
            found.append(f"{path}: SQLite file")
        elif not (
            path.is_relative_to(schools)
            or path.is_relative_to(compute_logs)
            or (path.is_relative_to(reports) and path.name.startswith("run-"))
            or path.parent in (home, folder)  # the settings and the daemon's log
        ):
            found.append(str(path))
    return found


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
    print(
        "max_concurrent_runs  wall time  schools/min  200 schools (extrapolated)"
        "  load avg (mean, max)  CPU s/school: Dagster+runs, servers"
    )
    broken = False
    for concurrency in args.concurrency:
        with tempfile.TemporaryDirectory(prefix="sis-many-") as scratch:
            result = one_round(district, args.schools, concurrency, args.postgres, Path(scratch))
        per_minute = args.schools / result.wall * 60
        load = result.load or [os.getloadavg()[0]]
        cpu = (result.dagster_cpu / args.schools, result.servers_cpu / args.schools)
        print(
            f"{concurrency:>19}  {result.wall:>8.1f}s  {per_minute:>11.1f}"
            f"  {200 / per_minute:>22.1f} min"
            f"  {sum(load) / len(load):>10.1f}, {max(load):.1f}"
            f"  {cpu[0]:>19.1f}, {cpu[1]:.1f}",
            flush=True,
        )
        for line in result.failures:
            print(f"  run failed: {line}")
        for line in result.shared_writes:
            print(f"  shared file: {line}")
        broken = broken or bool(result.failures or result.shared_writes)
    if broken:
        raise SystemExit("some runs failed or wrote a shared file (above)")


if __name__ == "__main__":
    main()
