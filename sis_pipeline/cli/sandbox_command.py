"""`sis-pipeline sandbox`: both simulators in the foreground over the demo's own files.

They serve the district the demo last synced and the platform's saved state; the printed
variables point `dagster dev` or `sis-pipeline sync` at the demo's schools file and data
folder. `sis-pipeline ui` does the same and starts the Dagster UI too.
"""

from __future__ import annotations

import argparse
import contextlib
import threading

from sis_pipeline.cli.demo_workspace import DemoWorkspace, DistrictRecipe, demo_sandbox
from sis_pipeline.cli.output import EXIT_OK


def run(args: argparse.Namespace) -> int:
    workspace = DemoWorkspace.default()
    fresh = DistrictRecipe(people=args.people, seed=args.seed)
    with demo_sandbox(workspace, args.powerschool_port, args.platform_port, fresh=fresh) as (
        sandbox,
        config,
    ):
        print(f"PowerSchool simulator: {sandbox.powerschool.url}")
        print(f"Platform server:       {sandbox.platform.url}")
        print("Export these (sandbox credentials, not secrets) before dagster dev or sync:")
        variables = {**sandbox.environment(config), **workspace.environment()}
        for name, value in variables.items():
            print(f"  export {name}={value}")
        print("Serving until interrupted (Ctrl-C).", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            threading.Event().wait()
    return EXIT_OK
