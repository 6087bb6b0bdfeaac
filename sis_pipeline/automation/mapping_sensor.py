"""Sensor: a mapping file dropped at <data dir>/reconciliation/<school>.csv starts that school's
reconciliation, once per file content.

The run key is the school and the sha256 of the file's bytes, so Dagster launches one run per
content however often the tick sees the file; the cursor (school -> digest last requested)
keeps an unchanged file from being requested again at all. A file named after no school is
reported once per content and otherwise left alone.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path

import dagster as dg

from sis_pipeline.resources.reconcile_options import MAPPING_FOLDER
from sis_pipeline.resources.schools import SchoolsResource

SENSOR_NAME = "reconciliation_mapping_files"
DIGEST_TAG = "sis_pipeline/mapping_sha256"


@dataclass
class MappingTick:
    requests: list[dg.RunRequest] = field(default_factory=list)
    seen: dict[str, str] = field(default_factory=dict)  # file stem -> sha256 of its content
    unknown: list[str] = field(default_factory=list)  # new files named after no school


def mapping_file_requests(
    folder: Path, school_keys: Collection[str], seen: dict[str, str]
) -> MappingTick:
    """One run request per school whose mapping file content was not requested before."""
    tick = MappingTick(seen=dict(seen))
    if not folder.is_dir():
        return tick
    for path in sorted(folder.glob("*.csv")):
        try:
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
        except OSError:
            continue  # moved away or still being replaced: the next tick sees it
        key = path.stem
        if tick.seen.get(key) == digest:
            continue
        tick.seen[key] = digest
        if key not in school_keys:
            tick.unknown.append(path.name)
            continue
        tick.requests.append(
            dg.RunRequest(partition_key=key, run_key=f"{key}:{digest}", tags={DIGEST_TAG: digest})
        )
    return tick


def build_mapping_sensor(
    target: dg.UnresolvedAssetJobDefinition, school_keys: list[str]
) -> dg.SensorDefinition:
    @dg.sensor(
        name=SENSOR_NAME,
        job=target,
        minimum_interval_seconds=60,
        default_status=dg.DefaultSensorStatus.RUNNING,
        description=f"Reconciles a school when a mapping file is dropped in "
        f"<data dir>/{MAPPING_FOLDER}/<school>.csv, once per file content.",
    )
    def reconciliation_mapping_files(
        context: dg.SensorEvaluationContext, schools: SchoolsResource
    ) -> dg.SensorResult:
        seen = json.loads(context.cursor) if context.cursor else {}
        tick = mapping_file_requests(schools.root / MAPPING_FOLDER, school_keys, seen)
        for name in tick.unknown:
            context.log.warning(f"{MAPPING_FOLDER}/{name}: no school has this key; ignored")
        return dg.SensorResult(
            run_requests=tick.requests,
            cursor=json.dumps(tick.seen, sort_keys=True),
            skip_reason=None if tick.requests else "no new mapping file content",
        )

    return reconciliation_mapping_files
