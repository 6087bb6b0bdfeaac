"""Benchmark: initial sync, no-change resync and a resync after 2% churn of a generated district.

    .venv/bin/python bench/sync_benchmark.py [--people 10000 100000] [--million]
        [--latency-ms 100] [--slow-people 10000] [--concurrency 4] [--seed 7]

The sandbox servers run in this process; each sync runs as the real CLI in a child process,
so its peak RSS is the pipeline's alone. Per step: wall time, peak RSS, rows per second and
the requests each API received, with yardsticks measured in the same run (so the ratios hold
on a loaded machine): the extraction against a bare httpx client reading the same tables,
projections and pages with the same concurrency; the changeset diff against a plain pandas
merge of the same two frames; the sink against a bare client posting the same batches. With
the PowerSchool simulator answering `--latency-ms` late, the extraction is set against
pages x latency / concurrency.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import textwrap
import time
from pathlib import Path

from child_runs import SyncFigures, run_bare, run_sync
from churn import churn
from diff_yardstick import changeset_vs_pandas

from sis_pipeline.cli.sandbox_servers import running_sandbox
from sis_pipeline.config.models import PowerSchoolSettings
from sis_pipeline.config.schools_file import load_schools_config
from sis_pipeline.sandbox.powerschool import PowerSchoolFaults
from sis_pipeline.sources.platform.settings import MAX_BATCH
from sis_pipeline.sources.powerschool.settings import PRIMARY_KEYS, extraction_plan
from sis_pipeline.transform.operations import pending_operations

ENV_NAMES = ("BENCH_PLATFORM_TOKEN", "BENCH_PS_CLIENT_ID", "BENCH_PS_CLIENT_SECRET")


def schools_yaml(powerschool_url: str, platform_url: str, concurrency: int) -> str:
    # Older versions of the schools file had no concurrency setting (the client's default 4).
    knob = (
        f"\n      max_concurrent_requests: {concurrency}"
        if "max_concurrent_requests" in PowerSchoolSettings.model_fields
        else ""
    )
    return textwrap.dedent(
        """\
        platform: {{url: "{platform}", token_env: BENCH_PLATFORM_TOKEN}}
        schools:
          district:
            name: Whole District
            org_id: district
            optional_fields: [email]
            powerschool:
              url: "{powerschool}"
              client_id_env: BENCH_PS_CLIENT_ID
              client_secret_env: BENCH_PS_CLIENT_SECRET{knob}
        """
    ).format(platform=platform_url, powerschool=powerschool_url, knob=knob)


def report(label: str, figures: SyncFigures, bare: dict, sb) -> None:
    extract = figures.step("powerschool")
    print(
        f"\n== {label}: exit {figures.exit_code}, {figures.wall:.1f} s wall, "
        f"peak RSS {figures.peak_rss_mb:.0f} MB"
    )
    if figures.errors:
        print("   errors:", figures.errors)
    print("   summary:", {k: v for k, v in figures.summary.items() if v and k != "school"})
    for step, seconds in sorted(figures.steps.items()):
        peak = figures.step_peak_mb.get(step, 0)
        print(f"   step {step:<24} {seconds:7.2f} s   peak RSS {peak:5.0f} MB")
    for window in ("(before the steps)", "(after the steps)"):
        print(f"   {window:<29} {'':9} peak RSS {figures.step_peak_mb.get(window, 0):5.0f} MB")
    rows = bare["rows"]
    print(
        f"   extraction: {rows} rows in {extract:.2f} s = {rows / max(extract, 1e-9):,.0f} rows/s;"
        f" bare client {bare['seconds']:.2f} s = {rows / bare['seconds']:,.0f} rows/s;"
        f" ratio {bare['seconds'] / max(extract, 1e-9):.2f} of the bare client"
    )
    print("   PowerSchool requests:", dict(sorted(sb.powerschool.request_counts.items())))
    platform = {k: v for k, v in sb.platform.counters.items() if k.startswith(("GET", "POST"))}
    print("   platform requests:   ", platform)
    print(
        "   platform writes:",
        sb.platform.counters.get("write_requests", 0),
        " operations applied:",
        sb.platform.counters.get("operations_applied", 0),
    )


def listing_report(figures: SyncFigures, sb) -> None:
    """The platform_users step against a bare client paging the same org's listing."""
    bare = run_bare(
        "list",
        {"url": sb.platform.url, "token": sb.credentials.platform_token, "org_id": "district"},
    )
    step = figures.step("platform_users")
    print(
        f"   listing: {bare['users']} users; step {step:.2f} s vs bare client paging them "
        f"{bare['seconds']:.2f} s ({bare['pages']} pages): {step / max(bare['seconds'], 1e-9):.2f}x"
    )


def diff_report(database: Path, school) -> None:
    diff = changeset_vs_pandas(database, school)
    print(
        f"   changeset (whole build) {diff['changeset']:.2f} s; its diff statement "
        f"{diff['diff']:.2f} s vs pandas merge {diff['pandas']:.2f} s ({diff['rows']:.0f} rows):"
        f" diff {diff['pandas'] / max(diff['diff'], 1e-9):.1f}x as fast as pandas"
    )


def sink_report(figures: SyncFigures, database: Path, sb, work: Path) -> None:
    import duckdb

    with duckdb.connect(str(database), read_only=True) as con:
        operations = [op["operation"] for op in pending_operations(con)]
    if not operations:
        return
    batches = [operations[i : i + MAX_BATCH] for i in range(0, len(operations), MAX_BATCH)]
    batches_file = work / "batches.json"
    batches_file.write_text(json.dumps(batches))
    bare = run_bare(
        "post",
        {
            "url": sb.platform.url,
            "token": sb.credentials.platform_token,
            "org_id": "bare",
            "batches_file": str(batches_file),
        },
    )
    sink = figures.step("platform_sync")
    print(
        f"   sink {sink:.2f} s vs bare client posting the same {bare['batches']} batches "
        f"{bare['seconds']:.2f} s: {sink / bare['seconds']:.2f}x"
    )


def bench_size(people: int, args: argparse.Namespace) -> None:
    work = Path(tempfile.mkdtemp(prefix="sis-bench-"))
    home = work / "dagster"
    home.mkdir()
    (home / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    started = time.perf_counter()
    orgs = {"district": "Whole District", "bare": "Bare client"}
    with running_sandbox(orgs, people=people, seed=args.seed) as sb:
        print(
            f"\n##### {people:,} people: generated and served in "
            f"{time.perf_counter() - started:.1f} s"
        )
        config_file = work / "schools.yaml"
        config_file.write_text(schools_yaml(sb.powerschool.url, sb.platform.url, args.concurrency))
        config = load_schools_config(config_file)
        school = config.schools["district"]
        secrets = {k: v for k, v in sb.environment(config).items() if k in ENV_NAMES}
        env = {
            **os.environ,
            **secrets,
            "SIS_PIPELINE_CONFIG": str(config_file),
            "SIS_PIPELINE_DATA_DIR": str(work / "data"),
            "DAGSTER_HOME": str(home),
        }
        read_spec = {
            "url": sb.powerschool.url,
            "client_id": sb.credentials.client_id,
            "client_secret": sb.credentials.client_secret,
            "concurrency": args.concurrency,
            "plan": {t: (c, PRIMARY_KEYS[t], [None]) for t, c in extraction_plan(school).items()},
        }

        def one(label: str, latency: float = 0.0) -> tuple[SyncFigures, dict]:
            sb.powerschool.faults = PowerSchoolFaults(latency_seconds=latency)
            bare = run_bare("read", read_spec)
            sb.powerschool.reset_counts()
            sb.platform.reset_counters()
            figures = run_sync(env, home)
            report(label, figures, bare, sb)
            return figures, bare

        initial, _ = one("initial sync")
        database = next((work / "data").glob("**/*.duckdb"))
        sink_report(initial, database, sb, work)
        no_change, _ = one("no-change resync")
        listing_report(no_change, sb)
        diff_report(database, school)
        churned, changed = churn(sb.district, 0.02)
        sb.powerschool.set_tables(churned.tables)
        print(f"\n(churn: {changed} IDs changed, {changed / people:.1%} of the people)")
        after, _ = one("resync after 2% churn")
        diff_report(database, school)
        sink_report(after, database, sb, work)
        if people <= args.slow_people and args.latency_ms > 0:
            latency = args.latency_ms / 1000
            slow, bare = one(f"no-change resync, PowerSchool {args.latency_ms} ms late", latency)
            bound = 1.3 * bare["pages"] * latency / args.concurrency
            print(
                f"   slow server: extraction {slow.step('powerschool'):.2f} s for "
                f"{bare['pages']} pages; target 1.3 x pages x latency / concurrency = "
                f"{bound:.2f} s"
            )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--million", action="store_true", help="also 1,000,000 people (slow)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--latency-ms", type=int, default=100)
    parser.add_argument("--slow-people", type=int, default=10_000)
    args = parser.parse_args()
    for people in [*args.people, *([1_000_000] if args.million else [])]:
        bench_size(people, args)


if __name__ == "__main__":
    main()
