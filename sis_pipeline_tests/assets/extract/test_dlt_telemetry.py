"""dlt's anonymous usage telemetry is off in every process that builds our pipelines."""

from __future__ import annotations

import os
import subprocess
import sys

PROBE = """
import sys
import dlt  # imported first, as any module of ours may: dlt reads its settings here
from dlt.common.configuration.container import Container
from dlt.common.configuration.specs.pluggable_run_context import PluggableRunContext
from dlt.common.runtime import anon_tracker

from sis_pipeline.assets.extract.powerschool_tables import pipeline_for
from sis_pipeline.resources.schools import SchoolsResource

pipeline = pipeline_for("riverdale", SchoolsResource(data_directory=sys.argv[1]))
runtime = Container()[PluggableRunContext].context.runtime_config
print(runtime.dlthub_telemetry, pipeline.run_context.runtime_config.dlthub_telemetry,
      anon_tracker._ANON_TRACKER_ENDPOINT)
"""


def test_building_a_school_pipeline_turns_dlt_telemetry_off(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.upper().startswith("RUNTIME__")}
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(tmp_path)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["False", "False", "None"]
