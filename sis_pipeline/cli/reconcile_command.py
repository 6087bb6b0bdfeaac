"""`sis-pipeline reconcile --school KEY --mapping FILE [--test-run] [--json]`."""

from __future__ import annotations

import argparse
from pathlib import Path

from sis_pipeline.cli.open_school import open_school
from sis_pipeline.cli.output import (
    EXIT_FAILED,
    EXIT_USAGE,
    RECONCILE_KEYS,
    fail,
    print_summary,
    warn,
    worst,
)
from sis_pipeline.config.mapping_file import MappingFileError, read_mapping_file


def run(args: argparse.Namespace) -> int:
    mapping = Path(args.mapping)
    config, _ = open_school(args.school)
    try:
        read_mapping_file(mapping)
    except MappingFileError as error:
        return fail([str(error)], EXIT_USAGE)

    from sis_pipeline.cli.run_reconcile import run_reconcile
    from sis_pipeline.cli.run_sync import SchoolBusy
    from sis_pipeline.resources.schools import SchoolsResource

    try:
        outcome = run_reconcile(
            config,
            args.school,
            mapping,
            schools=SchoolsResource(),
            test_run=args.test_run,
            verbose=args.verbose,
        )
    except MappingFileError as error:
        return fail([str(error)], EXIT_USAGE)
    except SchoolBusy as busy:
        return fail([str(busy)], EXIT_FAILED)
    code = outcome.exit_code
    warn(outcome.warnings)
    fail(outcome.errors, code)
    summary = outcome.summary
    if summary is None:
        return worst(code)
    report = outcome.files.get("report_file", "the reconciliation report")
    fail(
        [
            f"{mapping} line {line}: {old} -> {new}: rejected: {reason}"
            for line, old, new, _, reason in outcome.rejected_rows
        ],
        code,
    )
    unlisted = summary["rejected"] - len(outcome.rejected_rows)
    if unlisted > 0:
        fail([f"{unlisted} more rows rejected; see {report}"], code)
    if summary["failed"]:
        fail([f"{summary['failed']} renames failed; see {report}"], code)
    files = outcome.files
    if "proposals_file" in files:
        print(f"Proposals to review, edit and return as a mapping: {files['proposals_file']}")
    if "report_file" in files:
        print(f"What became of each mapping row: {files['report_file']}")
    print_summary(summary, args.json, RECONCILE_KEYS)
    return worst(code)
