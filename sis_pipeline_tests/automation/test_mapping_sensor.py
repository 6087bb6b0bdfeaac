"""The mapping-file sensor: one run per new file content, none for an unchanged file."""

from __future__ import annotations

import hashlib

import dagster as dg

from sis_pipeline.automation.mapping_sensor import SENSOR_NAME, mapping_file_requests
from sis_pipeline.definitions import RECONCILE_JOB, build_definitions
from sis_pipeline.resources.schools import SchoolsResource
from sis_pipeline_tests.schools_files import TWO_BARE_SCHOOLS

MAPPING = "old_host_id,new_host_id\n1234,S1234\n"


def requested(tick) -> list[tuple[str, str]]:
    return [(r.partition_key, r.run_key) for r in tick.requests]


def digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def test_a_run_per_new_content_none_for_an_unchanged_file(tmp_path):
    folder = tmp_path / "reconciliation"
    assert requested(mapping_file_requests(folder, ["riverdale"], {})) == []  # no folder yet
    folder.mkdir()
    (folder / "riverdale.csv").write_text(MAPPING)
    (folder / "typo.csv").write_text(MAPPING)
    (folder / "hillcrest.txt").write_text(MAPPING)
    first = mapping_file_requests(folder, ["riverdale", "hillcrest"], {})
    assert requested(first) == [("riverdale", f"riverdale:{digest(MAPPING)}")]
    assert first.unknown == ["typo.csv"]

    again = mapping_file_requests(folder, ["riverdale", "hillcrest"], first.seen)
    assert requested(again) == [] and again.unknown == []  # nothing new, nothing re-reported

    changed = MAPPING + "77,S77\n"
    (folder / "riverdale.csv").write_text(changed)
    (folder / "hillcrest.csv").write_text(MAPPING)
    later = mapping_file_requests(folder, ["riverdale", "hillcrest"], again.seen)
    assert requested(later) == [
        ("hillcrest", f"hillcrest:{digest(MAPPING)}"),
        ("riverdale", f"riverdale:{digest(changed)}"),
    ]


def test_the_sensor_tick_targets_the_reconcile_job_and_keeps_its_cursor(schools_file, tmp_path):
    config = schools_file(TWO_BARE_SCHOOLS)
    data = tmp_path / "data"
    schools = SchoolsResource(data_directory=str(data))
    defs = build_definitions(config, schools)
    sensor = defs.get_repository_def().get_sensor_def(SENSOR_NAME)
    assert sensor.job_name == RECONCILE_JOB
    assert sensor.default_status == dg.DefaultSensorStatus.RUNNING
    (data / "reconciliation").mkdir(parents=True)
    (data / "reconciliation" / "hillcrest.csv").write_text(MAPPING)
    with dg.instance_for_test() as instance:

        def tick(cursor: str | None):
            with dg.build_sensor_context(
                instance=instance,
                cursor=cursor,
                repository_def=defs.get_repository_def(),
                resources={"schools": schools},
            ) as context:
                return sensor.evaluate_tick(context)

        first = tick(None)
        assert [(r.partition_key, r.run_key) for r in first.run_requests] == [
            ("hillcrest", f"hillcrest:{digest(MAPPING)}")
        ]
        second = tick(first.cursor)
        assert second.run_requests == [] and second.skip_message
        assert second.cursor == first.cursor
