"""SchoolsResource: one run, one reading of the schools file."""

from __future__ import annotations

from sis_pipeline_tests.file_opens import counting_opens
from sis_pipeline_tests.sync_harness import sync_harness


def test_a_run_reads_the_schools_file_once_and_the_next_run_reads_it_again(tmp_path):
    with (
        sync_harness(tmp_path, people=60) as harness,
        counting_opens(harness.config_file) as opens,
    ):
        harness.config_file.read_text(encoding="utf-8")
        assert opens() == 1  # the counter sees an open when there is one

        first = harness.sync()
        assert (first.exit_code, first.errors) == (0, [])
        assert opens() == 2

        second = harness.sync(test_run=True)
        assert (second.exit_code, second.errors) == (0, [])
        assert opens() == 3
