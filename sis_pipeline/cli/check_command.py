"""`sis-pipeline check --school KEY`: credentials and reachability of both APIs, nothing more."""

from __future__ import annotations

import argparse

from sis_pipeline.cli.output import EXIT_FAILED, EXIT_OK, EXIT_USAGE, fail
from sis_pipeline.config.clients import platform_client, powerschool_client
from sis_pipeline.config.schools_file import ConfigError, load_schools_config, require_secrets
from sis_pipeline.http.retry import ApiError, RetryPolicy

QUICK = RetryPolicy(max_attempts=3, max_total_seconds=20)


def run(args: argparse.Namespace) -> int:
    try:
        config = load_schools_config()
        config.school(args.school)
        require_secrets(config, args.school)
    except ConfigError as error:
        return fail(error.problems, EXIT_USAGE)
    problems = []
    try:
        with powerschool_client(config, args.school, QUICK) as client:
            page_size = client.page_size()
        print(f"PowerSchool: reachable, credentials accepted (page size {page_size})")
    except ApiError as error:
        problems.append(f"PowerSchool: {error}")
    try:
        with platform_client(config, args.school, QUICK) as client:
            client.org()
        print("platform: reachable, token accepted, org found")
    except ApiError as error:
        problems.append(f"platform: {error}")
    return fail(problems, EXIT_FAILED) if problems else EXIT_OK
