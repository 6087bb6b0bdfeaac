"""`sis-pipeline`: the command line described in docs/command-line.md."""

from __future__ import annotations

import argparse
import importlib
import sys

from sis_pipeline.cli.output import EXIT_USAGE, fail
from sis_pipeline.config.schools_file import ConfigError

# Commands are imported when used: a mistake in the schools file should be reported at
# once, not after the whole Dagster stack has loaded.
COMMANDS = {
    name: f"sis_pipeline.cli.{name}_command"
    for name in ("demo", "sync", "reconcile", "check", "plugin", "sandbox", "ui")
}

VERBOSE = "also print Dagster's warnings and failed steps with their stack traces"
SCHOOL_HELP = "the school's key in the schools file"
TEST_RUN_HELP = "compute and report what would change; apply nothing"
JSON_HELP = "print the summary as one JSON object, the last line of standard output"
EPILOG = (
    "exit status: 0 all applied, 1 failed, 2 bad usage or configuration, "
    "3 changes held by a safety rule. Manual: docs/ in the repository."
)


def command(commands: argparse._SubParsersAction, name: str, text: str) -> argparse.ArgumentParser:
    """A sub-command whose one-line help is also the description its own --help shows."""
    return commands.add_parser(name, help=text, description=text[0].upper() + text[1:] + ".")


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog="sis-pipeline",
        description="The weekly roster sync from PowerSchool to an education platform.",
        epilog=EPILOG,
    )
    commands = top.add_subparsers(dest="command", required=True)

    command(commands, "demo", "run two weeks of the demo district end to end")

    sync = command(commands, "sync", "sync one school")
    sync.add_argument("--school", required=True, metavar="KEY", help=SCHOOL_HELP)
    sync.add_argument("--test-run", action="store_true", help=TEST_RUN_HELP)
    sync.add_argument(
        "--allow-mass-deactivation",
        action="store_true",
        help="let this run's held deactivations through (mass or source-health holds)",
    )
    sync.add_argument(
        "--allow-mass-changes",
        action="store_true",
        help="let this reviewed run through every safety hold: mass creates, blanked fields "
        "and deactivations",
    )
    sync.add_argument("--json", action="store_true", help=JSON_HELP)
    sync.add_argument("-v", "--verbose", action="store_true", help=VERBOSE)

    reconcile = command(
        commands, "reconcile", "returning school: rename its old platform accounts from a mapping"
    )
    reconcile.add_argument("--school", required=True, metavar="KEY", help=SCHOOL_HELP)
    reconcile.add_argument(
        "--mapping", required=True, metavar="FILE", help="CSV with header old_host_id,new_host_id"
    )
    reconcile.add_argument("--test-run", action="store_true", help=TEST_RUN_HELP)
    reconcile.add_argument("--json", action="store_true", help=JSON_HELP)
    reconcile.add_argument("-v", "--verbose", action="store_true", help=VERBOSE)

    check = command(commands, "check", "check credentials and reachability")
    check.add_argument("--school", required=True, metavar="KEY", help=SCHOOL_HELP)

    plugin = command(commands, "plugin", "write the school's PowerSchool plugin.xml")
    plugin.add_argument("--school", required=True, metavar="KEY", help=SCHOOL_HELP)
    plugin.add_argument(
        "-o", "--output", metavar="FILE", help="write plugin.xml to FILE (default: standard output)"
    )

    sandbox = command(
        commands, "sandbox", "serve the simulators over the demo's district and platform state"
    )
    _sandbox_arguments(sandbox)
    sandbox.add_argument("--seed", type=int, default=7, help="district seed, if no demo ran")

    ui = command(
        commands, "ui", "the sandbox and the Dagster UI with its daemon, over the demo's files"
    )
    _sandbox_arguments(ui)
    ui.add_argument("--host", default="127.0.0.1", help="the Dagster UI's host")
    ui.add_argument("--port", type=int, default=3000, help="the Dagster UI's port")
    return top


def _sandbox_arguments(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--people", type=int, default=1500, help="district size, if no demo ran yet"
    )
    command.add_argument(
        "--powerschool-port",
        type=int,
        default=8765,
        help="the PowerSchool simulator's port; 0: any",
    )
    command.add_argument(
        "--platform-port", type=int, default=8766, help="the platform server's port; 0: any"
    )


def main(argv: list[str] | None = None) -> int:
    top = parser()
    try:
        args = top.parse_args(argv)
    except SystemExit as stop:
        # argparse exits 2 on bad usage, as docs/command-line.md says; keep its message.
        return int(stop.code or 0)
    try:
        return importlib.import_module(COMMANDS[args.command]).run(args)
    except ConfigError as error:
        return fail(error.problems, EXIT_USAGE)
    except KeyboardInterrupt:
        return fail(["interrupted"], 1)
    except BrokenPipeError:
        return EXIT_USAGE


if __name__ == "__main__":
    sys.exit(main())
