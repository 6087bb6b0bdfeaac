"""Sensor: a mapping file dropped at <data dir>/reconciliation/<school>.csv starts that school's
reconciliation, once per file content, once the file has stopped changing.

A file is requested only when a tick finds it exactly as the previous tick did (size,
modification time and sha256), so a file still being copied is left for a later tick; ticks
are at least a minute apart. The request carries the sha256 in the run's config and tags, and
the run applies the file only if its bytes still have that digest (otherwise it fails with one
line, and the new content gets a run of its own). The run key is the school and the digest, so
Dagster launches one run per content however often a tick is retried; the cursor keeps the
digest last requested per school, and what each file looked like at the previous tick. A file
named after no school is reported once per content and otherwise left alone.
"""

from __future__ import annotations

import json
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path

import dagster as dg

from sis_pipeline.config.mapping_file import mapping_digest
from sis_pipeline.resources.reconcile_options import MAPPING_FOLDER
from sis_pipeline.resources.schools import SchoolsResource

SENSOR_NAME = "reconciliation_mapping_files"
DIGEST_TAG = "sis_pipeline/mapping_sha256"


@dataclass
class MappingTick:
    requests: list[dg.RunRequest] = field(default_factory=list)
    seen: dict[str, str] = field(default_factory=dict)  # file stem -> sha256 last requested
    # file stem -> [size, mtime_ns, sha256] as this tick found a file not yet requested
    settling: dict[str, list] = field(default_factory=dict)
    unknown: list[str] = field(default_factory=list)  # new files named after no school

    def cursor(self) -> str:
        return json.dumps({"requested": self.seen, "settling": self.settling}, sort_keys=True)


def read_cursor(cursor: str | None) -> tuple[dict[str, str], dict[str, list]]:
    """(digest last requested per file, each unrequested file as the last tick found it)."""
    stored = json.loads(cursor) if cursor else {}
    if "requested" not in stored:  # the cursor of earlier versions: stem -> digest
        return stored, {}
    return stored["requested"], stored["settling"]


def mapping_file_requests(
    folder: Path,
    school_keys: Collection[str],
    seen: dict[str, str],
    settling: dict[str, list] | None = None,
) -> MappingTick:
    """One run request per school whose mapping file has content not requested before, and
    that this tick finds as the previous one did."""
    tick = MappingTick(seen=dict(seen))
    if not folder.is_dir():
        return tick
    before = settling or {}
    for path in sorted(folder.glob("*.csv")):
        try:
            stat = path.stat()
            digest = mapping_digest(path.read_bytes())
        except OSError:
            continue  # moved away or still being replaced: the next tick sees it
        key = path.stem
        if tick.seen.get(key) == digest:
            continue
        now = [stat.st_size, stat.st_mtime_ns, digest]
        if before.get(key) != now:
            tick.settling[key] = now  # new or still changing: wait for the next tick
            continue
        tick.seen[key] = digest
        if key not in school_keys:
            tick.unknown.append(path.name)
            continue
        tick.requests.append(
            dg.RunRequest(
                partition_key=key,
                run_key=f"{key}:{digest}",
                tags={DIGEST_TAG: digest},
                run_config={"resources": {"reconcile": {"config": {"mapping_sha256": digest}}}},
            )
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
        f"<data dir>/{MAPPING_FOLDER}/<school>.csv, once per file content, once the file has "
        "stopped changing.",
    )
    def reconciliation_mapping_files(
        context: dg.SensorEvaluationContext, schools: SchoolsResource
    ) -> dg.SensorResult:
        seen, settling = read_cursor(context.cursor)
        tick = mapping_file_requests(schools.root / MAPPING_FOLDER, school_keys, seen, settling)
        for name in tick.unknown:
            context.log.warning(f"{MAPPING_FOLDER}/{name}: no school has this key; ignored")
        if tick.requests:
            skip = None
        elif tick.settling:
            skip = "waiting for mapping files to stop changing: " + ", ".join(sorted(tick.settling))
        else:
            skip = "no new mapping file content"
        return dg.SensorResult(run_requests=tick.requests, cursor=tick.cursor(), skip_reason=skip)

    return reconciliation_mapping_files
