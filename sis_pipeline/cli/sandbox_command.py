"""`sis-pipeline sandbox`: both simulators in the foreground, for use with `dagster dev`."""

from __future__ import annotations

import argparse
import contextlib
import threading
from importlib import resources

import yaml

from sis_pipeline.cli.demo_command import DEMO_SCHOOLS_FILE
from sis_pipeline.cli.output import EXIT_OK
from sis_pipeline.cli.sandbox_servers import running_sandbox
from sis_pipeline.config.schools_file import load_schools_config


def run(args: argparse.Namespace) -> int:
    with resources.as_file(DEMO_SCHOOLS_FILE) as path:
        config = load_schools_config(path)
    orgs = {school.org_id: school.name for school in config.schools.values()}
    with running_sandbox(
        orgs,
        people=args.people,
        seed=args.seed,
        powerschool_port=args.powerschool_port,
        platform_port=args.platform_port,
    ) as sandbox:
        print(f"PowerSchool simulator: {sandbox.powerschool.url}")
        print(f"Platform server:       {sandbox.platform.url}")
        print("Sandbox credentials (not secrets), for the demo schools file:")
        for name, value in sandbox.environment(config).items():
            print(f"  export {name}={value}")
        print(yaml.safe_dump({"orgs": orgs}).strip())
        print("Serving until interrupted (Ctrl-C).", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            threading.Event().wait()
    return EXIT_OK
