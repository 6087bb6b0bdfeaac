"""A sensor-requested reconciliation applies exactly the bytes the sensor saw: a file replaced
after the tick fails the run with one line and renames nothing; its new content, once settled,
gets a run of its own that applies it."""

from __future__ import annotations

import dagster as dg

from sis_pipeline.automation.mapping_sensor import SENSOR_NAME
from sis_pipeline.cli.run_sync import step_errors
from sis_pipeline.definitions import RECONCILE_JOB, build_definitions
from sis_pipeline.resources.reconcile_options import dropped_mapping_file
from sis_pipeline_tests.returning_school import old_accounts, write_mapping
from sis_pipeline_tests.sync_harness import sync_harness


def test_the_run_applies_the_bytes_the_sensor_saw_or_fails_with_one_line(tmp_path):
    with sync_harness(tmp_path) as harness:
        accounts = old_accounts(harness.sandbox.district)
        harness.sandbox.platform.seed_users("riverdale-high", list(accounts.values()))
        pairs = [(account["host_id"], new) for new, account in accounts.items()]
        path = dropped_mapping_file(harness.schools.root, "riverdale")
        path.parent.mkdir(parents=True)
        write_mapping(path, pairs[:2])

        defs = build_definitions(harness.config, harness.schools)
        sensor = defs.get_repository_def().get_sensor_def(SENSOR_NAME)
        job = defs.resolve_job_def(RECONCILE_JOB)

        def tick(cursor):
            with dg.build_sensor_context(
                instance=harness.instance,
                cursor=cursor,
                repository_def=defs.get_repository_def(),
                resources={"schools": harness.schools},
            ) as context:
                return sensor.evaluate_tick(context)

        def run(request: dg.RunRequest) -> dg.ExecuteInProcessResult:
            return job.execute_in_process(
                partition_key=request.partition_key,
                run_config=request.run_config,
                tags=request.tags,
                instance=harness.instance,
                raise_on_error=False,
            )

        settled = tick(tick(None).cursor)
        (seen,) = settled.run_requests
        write_mapping(path, pairs)  # replaced after the tick, before the run reads it
        stale = run(seen)
        assert not stale.success
        (error,) = step_errors(stale)
        assert error.startswith(f"reconciliation: {path}: changed since the run was requested")
        assert error.endswith("nothing applied, its new content gets a run of its own")
        assert set(accounts) - set(harness.users()) == set(accounts)  # nothing renamed

        settling = tick(settled.cursor)
        assert settling.run_requests == []
        (new_content,) = tick(settling.cursor).run_requests
        assert new_content.run_key != seen.run_key
        applied = run(new_content)
        assert applied.success, step_errors(applied)
        assert set(accounts) <= set(harness.users())  # every old account renamed
