"""`sis-pipeline plugin --school KEY [-o FILE]`: the school's PowerSchool plugin.xml."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sis_pipeline.cli.open_school import open_school
from sis_pipeline.cli.output import EXIT_FAILED, EXIT_OK, fail
from sis_pipeline.sources.powerschool.plugin_xml import plugin_xml


def run(args: argparse.Namespace) -> int:
    # plugin.xml is written before the school has credentials: it is how it gets them.
    _, school = open_school(args.school, secrets=False)
    document = plugin_xml(args.school, school)
    if not args.output:
        sys.stdout.write(document)
        return EXIT_OK
    target = Path(args.output)
    try:
        partial = target.with_name(target.name + ".partial")
        partial.write_text(document, encoding="utf-8")
        partial.replace(target)
    except OSError as error:
        return fail([f"{target}: cannot write: {error.strerror}"], EXIT_FAILED)
    print(f"wrote {target}")
    return EXIT_OK
