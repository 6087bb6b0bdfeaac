"""A snapshot of the whole Dagster graph, so an accidental change to it shows up in review."""

from __future__ import annotations

from pathlib import Path

from sis_pipeline.config.schools_file import load_schools_config
from sis_pipeline.definitions import build_definitions
from sis_pipeline.resources.reconcile_options import ReconcileOptions
from sis_pipeline.resources.schools import SchoolsResource, SyncOptions

EXTRACT = [
    f"powerschool/{table}"
    for table in (
        "emailaddress",
        "person",
        "personemailaddressassoc",
        "schoolstaff",
        "studentcontactassoc",
        "studentcontactdetail",
        "students",
        "users",
    )
]
GRAPH = {
    **{key: ("extract", [], []) for key in EXTRACT},
    "roster": ("roster", EXTRACT, ["no_quarantined_rows", "roster_rows_valid"]),
    "platform_users": ("platform", [], []),
    "reconciliation": (
        "reconciliation",
        ["platform_users", "roster"],
        ["mapping_rows_accepted", "renames_applied"],
    ),
    "changeset": ("sync", ["platform_users", "reconciliation", "roster"], []),
    "platform_sync": ("sync", ["changeset"], ["no_failed_operations", "no_held_changes"]),
}


def test_the_demo_schools_file_gives_the_expected_graph():
    defs = build_definitions(load_schools_config(Path("data/schools.yaml")))
    graph = defs.resolve_asset_graph()
    found = {}
    for key in graph.get_all_asset_keys():
        node = graph.get(key)
        found[key.to_user_string()] = (
            node.group_name,
            sorted(parent.to_user_string() for parent in node.parent_keys),
            sorted(check.name for check in node.check_keys),
        )
        assert node.partitions_def.get_partition_keys() == ["hillcrest", "riverdale"]
    assert found == GRAPH
    for check_key in graph.asset_check_keys:
        spec = graph.get_check_spec(check_key)
        assert spec.description, check_key
        assert spec.partitions_def == graph.get(check_key.asset_key).partitions_def, check_key
    jobs = {job.name for job in defs.resolve_all_job_defs()} - {"__ASSET_JOB"}
    assert jobs == {
        "school_sync",
        "school_test_run",
        "school_reconcile",
        "school_reconcile_and_sync",
    }
    # The demo schools are `schedule: off`: nothing syncs them by itself.
    assert [s.name for s in defs.schedules] == []
    assert [s.name for s in defs.sensors] == [
        "reconciliation_mapping_files",
        "dead_runs",
        "report_failed_runs",
        "report_canceled_runs",
        "report_unhooked_runs",
    ]


def test_every_launch_config_field_says_what_it_does():
    for resource in (SchoolsResource, SyncOptions, ReconcileOptions):
        for name, field in resource.model_fields.items():
            assert field.description, f"{resource.__name__}.{name}"
