"""The mapping-file sensor: one run per new file content, once the file has stopped changing,
none for an unchanged file; the run's config and tags carry the digest of the bytes seen."""

from __future__ import annotations

import hashlib

import dagster as dg

from sis_pipeline.automation.mapping_sensor import (
    DIGEST_TAG,
    SENSOR_NAME,
    mapping_file_requests,
)
from sis_pipeline.definitions import RECONCILE_JOB, build_definitions
from sis_pipeline.resources.schools import SchoolsResource
from sis_pipeline_tests.schools_files import TWO_BARE_SCHOOLS

MAPPING = "old_host_id,new_host_id\n1234,S1234\n"
KEYS = ["riverdale", "hillcrest"]


def requested(tick) -> list[tuple[str, str]]:
    return [(r.partition_key, r.run_key) for r in tick.requests]


def digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def next_tick(folder, previous):
    return mapping_file_requests(folder, KEYS, previous.seen, previous.settling)


def test_a_run_per_new_content_once_settled_none_for_an_unchanged_file(tmp_path):
    folder = tmp_path / "reconciliation"
    assert requested(mapping_file_requests(folder, KEYS, {})) == []  # no folder yet
    folder.mkdir()
    (folder / "riverdale.csv").write_text(MAPPING)
    (folder / "typo.csv").write_text(MAPPING)
    (folder / "hillcrest.txt").write_text(MAPPING)
    first = mapping_file_requests(folder, KEYS, {})
    assert requested(first) == [] and first.unknown == []  # new: seen once, not yet settled
    second = next_tick(folder, first)
    assert requested(second) == [("riverdale", f"riverdale:{digest(MAPPING)}")]
    assert second.unknown == ["typo.csv"]
    (request,) = second.requests
    assert request.tags[DIGEST_TAG] == digest(MAPPING)
    assert request.run_config == {
        "resources": {"reconcile": {"config": {"mapping_sha256": digest(MAPPING)}}}
    }

    again = next_tick(folder, second)
    assert requested(again) == [] and again.unknown == []  # nothing new, nothing re-reported

    changed = MAPPING + "77,S77\n"
    (folder / "riverdale.csv").write_text(changed)
    (folder / "hillcrest.csv").write_text(MAPPING)
    assert requested(seen_once := next_tick(folder, again)) == []
    later = next_tick(folder, seen_once)
    assert requested(later) == [
        ("hillcrest", f"hillcrest:{digest(MAPPING)}"),
        ("riverdale", f"riverdale:{digest(changed)}"),
    ]


def test_a_file_still_being_written_is_requested_only_once_it_stops_changing(tmp_path):
    folder = tmp_path / "reconciliation"
    folder.mkdir()
    partial = folder / "riverdale.csv"
    rows = [f"{n},S{n}\n" for n in range(1000, 1300)]
    partial.write_text("old_host_id,new_host_id\n" + "".join(rows[:100]))
    tick = mapping_file_requests(folder, KEYS, {})
    for end in (200, 300):  # a copy still under way at each tick
        with partial.open("a") as handle:
            handle.write("".join(rows[end - 100 : end]))
        tick = next_tick(folder, tick)
        assert requested(tick) == []
    settled = next_tick(folder, tick)
    whole = "old_host_id,new_host_id\n" + "".join(rows)
    assert requested(settled) == [("riverdale", f"riverdale:{digest(whole)}")]


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
        first = evaluate(sensor, defs, schools, instance, None)
        assert first.run_requests == []
        assert first.skip_message == "waiting for mapping files to stop changing: hillcrest"
        second = evaluate(sensor, defs, schools, instance, first.cursor)
        assert [(r.partition_key, r.run_key) for r in second.run_requests] == [
            ("hillcrest", f"hillcrest:{digest(MAPPING)}")
        ]
        third = evaluate(sensor, defs, schools, instance, second.cursor)
        assert third.run_requests == [] and third.skip_message == "no new mapping file content"
        assert third.cursor == second.cursor


def test_a_cursor_of_the_earlier_form_still_means_requested(schools_file, tmp_path):
    config = schools_file(TWO_BARE_SCHOOLS)
    data = tmp_path / "data"
    schools = SchoolsResource(data_directory=str(data))
    defs = build_definitions(config, schools)
    sensor = defs.get_repository_def().get_sensor_def(SENSOR_NAME)
    (data / "reconciliation").mkdir(parents=True)
    (data / "reconciliation" / "hillcrest.csv").write_text(MAPPING)
    with dg.instance_for_test() as instance:
        old = f'{{"hillcrest": "{digest(MAPPING)}"}}'
        tick = evaluate(sensor, defs, schools, instance, old)
        assert tick.run_requests == [] and tick.skip_message == "no new mapping file content"


def evaluate(sensor, defs, schools, instance, cursor):
    with dg.build_sensor_context(
        instance=instance,
        cursor=cursor,
        repository_def=defs.get_repository_def(),
        resources={"schools": schools},
    ) as context:
        return sensor.evaluate_tick(context)
