"""`sis-pipeline demo`: two weeks of a generated district, synced for real on the sandbox.

Before week 1, riverdale is a returning school: last year's accounts are reconciled to their
new host IDs (see demo_returning.py). Week 1 is each school's first sync (everyone else
created); week 2 brings next week's changes (renames, arrivals, departures, promotions, a
returning leaver). Each reconciliation and sync is a Dagster run in the instance at
DAGSTER_HOME. Needs no credentials and no network beyond loopback.
"""

from __future__ import annotations

import argparse
import os
import shutil
from datetime import UTC, datetime, timedelta
from importlib import resources

import yaml

from sis_pipeline.cli.demo_returning import reconcile_returning_school
from sis_pipeline.cli.output import EXIT_OK, fail, print_summary, worst
from sis_pipeline.cli.run_sync import run_sync
from sis_pipeline.cli.sandbox_servers import running_sandbox
from sis_pipeline.config.schools_file import data_dir, load_schools_config
from sis_pipeline.resources.schools import SchoolsResource
from sis_pipeline.sandbox.district import next_week

# Package data, so `demo` and `sandbox` work from an installed wheel; a checkout's
# data/schools.yaml (the default schools file, for `dagster dev`) is a link to it.
DEMO_SCHOOLS_FILE = resources.files("sis_pipeline.sandbox") / "schools.yaml"
DEMO_PEOPLE = 1500
RETURNING_SCHOOL = "riverdale"


def run(args: argparse.Namespace) -> int:
    workdir = data_dir() / "demo"
    if workdir.exists():
        shutil.rmtree(workdir)
    workdir.mkdir(parents=True, mode=0o700)
    try:
        template = yaml.safe_load(DEMO_SCHOOLS_FILE.read_text(encoding="utf-8"))
        orgs = {school["org_id"]: school["name"] for school in template["schools"].values()}
    except (OSError, KeyError, TypeError, yaml.YAMLError) as error:
        return fail([f"{DEMO_SCHOOLS_FILE}: cannot read the demo schools file ({error})"], 2)

    today = datetime.now(UTC).date()
    codes = [EXIT_OK]
    with running_sandbox(
        orgs, people=DEMO_PEOPLE, today=today, state_file=workdir / "platform-state.json"
    ) as sandbox:
        template["platform"]["url"] = sandbox.platform.url
        template.setdefault("defaults", {}).setdefault("powerschool", {})
        template["defaults"]["powerschool"]["url"] = sandbox.powerschool.url
        config_file = workdir / "schools.yaml"
        config_file.write_text(yaml.safe_dump(template, sort_keys=False), encoding="utf-8")
        config = load_schools_config(config_file)
        os.environ.update(sandbox.environment(config))
        schools = SchoolsResource(config_file=str(config_file), data_directory=str(workdir))

        print(f"Demo district: {DEMO_PEOPLE} people, schools {', '.join(config.schools)}")
        print(f"PowerSchool simulator {sandbox.powerschool.url}, platform {sandbox.platform.url}")
        codes += reconcile_returning_school(sandbox, config, schools, RETURNING_SCHOOL, workdir)
        for week, as_of in ((1, today), (2, today + timedelta(days=7))):
            if week == 2:
                sandbox.powerschool.set_tables(next_week(sandbox.district, seed=1).tables)
            print(f"\nWeek {week} ({as_of.isoformat()}):")
            for key in config.schools:
                outcome = run_sync(config, key, schools=schools, as_of_date=as_of.isoformat())
                for error in outcome.errors:
                    print(f"  {key}: error: {error}")
                if outcome.summary:
                    print("  ", end="")
                    print_summary(outcome.summary, as_json=False)
                codes.append(outcome.exit_code)
        counters = sandbox.platform.counters
    print(
        f"\nPlatform received {counters.get('batch_requests', 0)} batch requests applying "
        f"{counters.get('operations_applied', 0)} operations; its state is in "
        f"{workdir / 'platform-state.json'}. Runs are in the Dagster UI (dagster dev)."
    )
    return worst(*codes)
