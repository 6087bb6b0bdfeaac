"""`sis-pipeline check --school KEY`: credentials and reachability of both APIs, nothing more."""

from __future__ import annotations

import argparse

from sis_pipeline.cli.open_school import open_school
from sis_pipeline.cli.output import EXIT_FAILED, EXIT_OK, fail
from sis_pipeline.http.retry import ApiError, RetryPolicy
from sis_pipeline.resources.clients import platform_client, powerschool_client

QUICK = RetryPolicy(max_attempts=3, max_total_seconds=20)


def run(args: argparse.Namespace) -> int:
    config, _ = open_school(args.school)
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
