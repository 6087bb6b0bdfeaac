"""The jobs' names: the definitions build the jobs, and steps that behave per job read these."""

SYNC_JOB = "school_sync"
# Every run of this job is a test run, however it was launched (a launch through the GraphQL
# API or a backfill need not carry the job's preset config).
TEST_RUN_JOB = "school_test_run"
RECONCILE_JOB = "school_reconcile"
RECONCILE_AND_SYNC_JOB = "school_reconcile_and_sync"
