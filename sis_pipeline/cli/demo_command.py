"""`sis-pipeline demo`: two weeks of a generated district, synced for real on the sandbox.

Before week 1, riverdale is a returning school: last year's accounts are reconciled to their
new host IDs (see demo_returning.py). Week 1 is each school's first sync (everyone else
created); week 2 brings next week's changes (renames, arrivals, departures, promotions, a
returning leaver). Each reconciliation and sync is a Dagster run in the instance at
DAGSTER_HOME. Needs no credentials and no network beyond loopback. Its files stay in
<data dir>/demo (demo_workspace.py), where `sis-pipeline ui` picks the history up.
"""

from __future__ import annotations

import argparse
import os
import shutil
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from sis_pipeline.cli.demo_returning import reconcile_returning_school
from sis_pipeline.cli.demo_workspace import (
    DEMO_SCHOOLS_FILE,
    NEXT_WEEK_SEED,
    DemoWorkspace,
    DistrictRecipe,
    demo_sandbox,
)
from sis_pipeline.cli.output import EXIT_OK, print_summary, worst
from sis_pipeline.cli.run_sync import run_sync
from sis_pipeline.cli.sandbox_servers import Sandbox
from sis_pipeline.config.schools_file import SchoolsConfig
from sis_pipeline.resources.schools import SchoolsResource
from sis_pipeline.sandbox.district import next_week

RETURNING_SCHOOL = "riverdale"
__all__ = ["DEMO_SCHOOLS_FILE", "run"]


def run(args: argparse.Namespace) -> int:
    workspace = DemoWorkspace.default()
    if workspace.root.exists():
        shutil.rmtree(workspace.root)
    workspace.root.mkdir(parents=True, mode=0o700)
    today = datetime.now(UTC).date()
    recipe = DistrictRecipe(today=today.isoformat())
    workspace.save_recipe(recipe)

    with demo_sandbox(workspace) as (sandbox, config):
        codes = _two_weeks(workspace, recipe, sandbox, config)
        counters = sandbox.platform.counters
    print(
        f"\nPlatform received {counters.get('batch_requests', 0)} batch requests applying "
        f"{counters.get('operations_applied', 0)} operations; its state is in "
        f"{workspace.platform_state}.\nRun summaries e-mailed to the schools and operators: "
        f"{len(list(workspace.mail_folder.glob('*.eml')))} messages in {workspace.mail_folder}."
        "\nTo see the runs in the Dagster UI and sync this "
        "district from there: sis-pipeline ui (or python3 dev.py ui)."
    )
    return worst(EXIT_OK, *codes)


def _two_weeks(
    workspace: DemoWorkspace, recipe: DistrictRecipe, sandbox: Sandbox, config: SchoolsConfig
) -> list[int]:
    os.environ.update(sandbox.environment(config))
    schools = SchoolsResource(
        config_file=str(workspace.schools_file), data_directory=str(workspace.root)
    )
    print(f"Demo district: {recipe.people} people, schools {', '.join(config.schools)}")
    print(f"PowerSchool simulator {sandbox.powerschool.url}, platform {sandbox.platform.url}")
    codes = reconcile_returning_school(sandbox, config, schools, RETURNING_SCHOOL, workspace.root)
    today = recipe.first_day()
    for week, as_of in ((1, today), (2, today + timedelta(days=7))):
        if week == 2:
            sandbox.powerschool.set_tables(next_week(sandbox.district, seed=NEXT_WEEK_SEED).tables)
            workspace.save_recipe(replace(recipe, week=2))
        print(f"\nWeek {week} ({as_of.isoformat()}):")
        for key in config.schools:
            outcome = run_sync(config, key, schools=schools, as_of_date=as_of.isoformat())
            for error in outcome.errors:
                print(f"  {key}: error: {error}")
            if outcome.summary:
                print("  ", end="")
                print_summary(outcome.summary, as_json=False)
            codes.append(outcome.exit_code)
    return codes
