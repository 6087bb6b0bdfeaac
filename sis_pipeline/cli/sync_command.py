"""`sis-pipeline sync --school KEY [--test-run] [--allow-mass-deactivation] [--json]`."""

from __future__ import annotations

import argparse

from sis_pipeline.cli.output import EXIT_FAILED, EXIT_USAGE, fail, print_summary, worst
from sis_pipeline.config.schools_file import ConfigError, load_schools_config, require_secrets


def run(args: argparse.Namespace) -> int:
    try:
        config = load_schools_config()
        config.school(args.school)
        require_secrets(config, args.school)
    except ConfigError as error:
        return fail(error.problems, EXIT_USAGE)

    from sis_pipeline.cli.run_sync import SchoolBusy, run_sync
    from sis_pipeline.resources.schools import SchoolsResource

    try:
        outcome = run_sync(
            config,
            args.school,
            schools=SchoolsResource(),
            test_run=args.test_run,
            allow_mass_deactivation=args.allow_mass_deactivation,
        )
    except ConfigError as error:
        return fail(error.problems, EXIT_USAGE)
    except SchoolBusy as busy:
        return fail([str(busy)], EXIT_FAILED)
    code = outcome.exit_code
    if outcome.errors:
        fail(outcome.errors, code)
    if outcome.summary is not None:
        if outcome.summary.get("failed"):
            fail([f"{outcome.summary['failed']} operations failed; see the error report"], code)
        if outcome.summary.get("held"):
            fail([f"{outcome.summary['held']} changes held by a safety rule"], code)
        print_summary(outcome.summary, args.json)
    return worst(code)
