"""Benchmark: an initial sync and a no-change resync of a generated district on the sandbox.

    .venv/bin/python bench/sync_benchmark.py [--people 50000] [--seed 7]

The sandbox servers run in this process; each sync runs as the real CLI in a child process,
so its peak RSS is the pipeline's alone. Prints wall time per Dagster step, peak RSS and
the requests each API received.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import textwrap
import time
from collections import defaultdict
from pathlib import Path

import dagster as dg

from sis_pipeline.cli.sandbox_servers import running_sandbox
from sis_pipeline.config.schools_file import load_schools_config

CHILD = (
    "import resource, sys\n"
    "from sis_pipeline.cli.main import main\n"
    "code = main(sys.argv[1:])\n"
    "print('PEAK_RSS_KB', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)\n"
    "sys.exit(code)\n"
)


def schools_yaml(powerschool_url: str, platform_url: str) -> str:
    return textwrap.dedent(
        f"""\
        platform: {{url: "{platform_url}", token_env: BENCH_PLATFORM_TOKEN}}
        schools:
          district:
            name: Whole District
            org_id: district
            optional_fields: [email]
            powerschool:
              url: "{powerschool_url}"
              client_id_env: BENCH_PS_CLIENT_ID
              client_secret_env: BENCH_PS_CLIENT_SECRET
        """
    )


def step_seconds(home: Path, run_id: str) -> dict[str, float]:
    os.environ["DAGSTER_HOME"] = str(home)
    with dg.DagsterInstance.get() as instance:
        started: dict[str, float] = {}
        spent: dict[str, float] = defaultdict(float)
        for entry in instance.all_logs(run_id):
            event = entry.dagster_event
            if event is None or event.step_key is None:
                continue
            if event.event_type_value == "STEP_START":
                started[event.step_key] = entry.timestamp
            elif event.event_type_value in ("STEP_SUCCESS", "STEP_FAILURE"):
                spent[event.step_key] += entry.timestamp - started.pop(event.step_key)
        return dict(spent)


def latest_run_id(home: Path) -> str:
    os.environ["DAGSTER_HOME"] = str(home)
    with dg.DagsterInstance.get() as instance:
        return instance.get_runs(limit=1)[0].run_id


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="sis-bench-"))
    home = work / "dagster"
    home.mkdir()
    (home / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")

    started = time.perf_counter()
    with running_sandbox({"district": "Whole District"}, people=args.people, seed=args.seed) as sb:
        print(
            f"district of {args.people} people generated and served in "
            f"{time.perf_counter() - started:.1f} s"
        )
        config_file = work / "schools.yaml"
        config_file.write_text(schools_yaml(sb.powerschool.url, sb.platform.url))
        names = {"BENCH_PLATFORM_TOKEN": "", "BENCH_PS_CLIENT_ID": "", "BENCH_PS_CLIENT_SECRET": ""}
        env = {
            **os.environ,
            **{
                k: v
                for k, v in sb.environment(load_schools_config(config_file)).items()
                if k in names
            },
            "SIS_PIPELINE_CONFIG": str(config_file),
            "SIS_PIPELINE_DATA_DIR": str(work / "data"),
            "DAGSTER_HOME": str(home),
        }
        for label in ("initial sync", "no-change resync"):
            sb.powerschool.reset_counts()
            sb.platform.reset_counters()
            began = time.perf_counter()
            done = subprocess.run(
                [sys.executable, "-c", CHILD, "sync", "--school", "district", "--json"],
                env=env,
                capture_output=True,
                text=True,
            )
            wall = time.perf_counter() - began
            peak = next(
                int(line.split()[1])
                for line in done.stderr.splitlines()
                if line.startswith("PEAK_RSS_KB")
            )
            summary = json.loads(done.stdout.strip().splitlines()[-1])
            print(
                f"\n== {label}: exit {done.returncode}, {wall:.1f} s wall, "
                f"peak RSS {peak / 1024:.0f} MB"
            )
            print("   summary:", {k: v for k, v in summary.items() if v})
            for step, seconds in step_seconds(home, latest_run_id(home)).items():
                print(f"   step {step:<22} {seconds:6.2f} s")
            print("   PowerSchool requests:", dict(sorted(sb.powerschool.request_counts.items())))
            platform = {
                k: v for k, v in sb.platform.counters.items() if k.startswith(("GET", "POST"))
            }
            print("   platform requests:   ", platform)
            print(
                "   platform operations applied:", sb.platform.counters.get("operations_applied", 0)
            )


if __name__ == "__main__":
    main()
