"""`sis-pipeline sync --school KEY [--test-run] [--allow-mass-deactivation]
[--allow-mass-changes] [--json] [-v]`."""

from __future__ import annotations

import argparse

from sis_pipeline.cli.open_school import open_school
from sis_pipeline.cli.output import EXIT_FAILED, fail, print_summary, warn, worst


def run(args: argparse.Namespace) -> int:
    config, _ = open_school(args.school)

    from sis_pipeline.cli.run_sync import SchoolBusy, run_sync
    from sis_pipeline.resources.schools import SchoolsResource

    try:
        outcome = run_sync(
            config,
            args.school,
            schools=SchoolsResource(),
            test_run=args.test_run,
            allow_mass_deactivation=args.allow_mass_deactivation,
            allow_mass_changes=args.allow_mass_changes,
            verbose=args.verbose,
        )
    except SchoolBusy as busy:
        return fail([str(busy)], EXIT_FAILED)
    code = outcome.exit_code
    warn(outcome.warnings)
    if outcome.errors:
        fail(outcome.errors, code)
    if outcome.summary is not None:
        if outcome.summary.get("failed"):
            fail([f"{outcome.summary['failed']} operations failed; see the error report"], code)
        if outcome.summary.get("held"):
            fail([f"{outcome.summary['held']} changes held by a safety rule"], code)
        print_summary(outcome.summary, args.json)
    return worst(code)
