"""Network faults in both APIs during whole syncs: retried to the exact state, or a bounded,
clear failure that marks nothing done that was not."""

from __future__ import annotations

import threading
import time

import duckdb
import pytest

from sis_pipeline.sandbox.district import next_week
from sis_pipeline.sandbox.platform import PlatformFaults
from sis_pipeline.sandbox.powerschool import PowerSchoolFaults
from sis_pipeline_tests.cli.exact_state import (
    assert_nothing_left_to_do,
    assert_platform_is_the_roster,
)
from sis_pipeline_tests.sync_harness import sync_harness

LISTING = "GET /v1/orgs/{org}/users"


def statuses(simulator) -> set[int]:
    return {status for _, _, status in simulator.requests}


def test_powerschool_token_expiry_rate_limits_and_5xx_mid_run(tmp_path):
    with sync_harness(tmp_path) as harness:
        simulator = harness.sandbox.powerschool
        simulator.faults = PowerSchoolFaults(
            token_expires_after_requests=6,
            rate_limit_every=13,
            server_error_every=7,
            server_error_status=502,
        )
        outcome = harness.sync()
        assert outcome.exit_code == 0, outcome.errors
        assert {401, 429, 502} <= statuses(simulator)
        assert simulator.request_counts["/oauth/access_token"] > 1
        counters = harness.sandbox.platform.counters
        assert counters["created"] == counters["operations_applied"] == outcome.summary["created"]
        assert_platform_is_the_roster(harness)


def test_platform_rate_limits_5xx_and_lost_answers_after_apply(tmp_path):
    with sync_harness(tmp_path) as harness:
        platform = harness.sandbox.platform
        # Every batch is applied and then its answer lost: the line dropped in week one, a 503
        # in week two. Rate limits and 500/504 hit the listing and the retries.
        platform.faults = PlatformFaults(
            rate_limit_every=4,
            server_error_every=3,
            server_error_status=500,
            fail_after_apply_every=1,
            fail_after_apply_mode="drop",
        )
        first = harness.sync()
        assert first.exit_code == 0, first.errors
        assert platform.counters["replayed"] >= 1
        assert platform.counters["operations_applied"] == first.summary["created"]
        assert_platform_is_the_roster(harness)

        harness.sandbox.powerschool.set_tables(next_week(harness.sandbox.district, seed=2).tables)
        platform.faults = PlatformFaults(
            rate_limit_every=5,
            server_error_every=3,
            server_error_status=504,
            fail_after_apply_every=1,
            fail_after_apply_mode="error",
        )
        platform.reset_counters()
        second = harness.sync()
        assert second.exit_code == 0, second.errors
        sent = sum(second.summary[k] for k in ("created", "updated", "reactivated", "deactivated"))
        assert sent > 0 and platform.counters["replayed"] >= 1
        assert platform.counters["operations_applied"] == sent
        platform.faults = PlatformFaults()
        assert_nothing_left_to_do(harness)


@pytest.fixture
def impatient(tmp_path):
    with sync_harness(tmp_path, retry_max_seconds=2) as harness:
        yield harness


@pytest.mark.parametrize(
    ("faults", "expected"),
    [
        (PowerSchoolFaults(server_error_every=1, server_error_status=503), "gave up after"),
        (PowerSchoolFaults(token_error_status=503), "PowerSchool token request: gave up"),
    ],
    ids=["tables", "token endpoint"],
)
def test_powerschool_down_fails_in_bounded_time_and_sends_nothing(impatient, faults, expected):
    impatient.sandbox.powerschool.faults = faults
    started = time.monotonic()
    failed = impatient.sync()
    assert time.monotonic() - started < 20
    assert failed.exit_code == 1 and failed.summary is None
    assert any(expected in error for error in failed.errors), failed.errors
    assert impatient.sandbox.platform.counters["batch_requests"] == 0


def test_platform_listing_down_fails_before_the_changeset(impatient):
    impatient.sandbox.platform.faults = PlatformFaults(server_error_every=1)
    failed = impatient.sync()
    assert failed.exit_code == 1 and failed.summary is None
    assert any("platform users: gave up after" in error for error in failed.errors)
    assert impatient.users() == {}


def test_platform_down_in_the_sink_marks_nothing_done_and_the_next_run_applies_it(impatient):
    platform = impatient.sandbox.platform

    def break_after_listing() -> None:
        while platform.counters.get(LISTING, 0) == 0:
            time.sleep(0.01)
        time.sleep(0.05)  # let the listing's answer go out first
        platform.faults = PlatformFaults(server_error_every=1, server_error_status=503)

    breaker = threading.Thread(target=break_after_listing)
    breaker.start()
    started = time.monotonic()
    failed = impatient.sync()
    breaker.join()
    assert time.monotonic() - started < 30
    assert failed.exit_code == 1
    assert failed.summary["failed"] > 0 and failed.summary["created"] == 0
    assert impatient.users() == {}
    with duckdb.connect(str(impatient.schools.database_path("riverdale"))) as con:
        outcomes = con.execute("SELECT DISTINCT status, error_code FROM sync.sync_log").fetchall()
        attempts = con.execute("SELECT finished FROM sync.sink_attempts").fetchall()
    assert outcomes == [("failed", "undelivered")]
    assert attempts == [(False,)]
    reports = list((impatient.schools.root / "reports" / "riverdale").glob("errors-*.csv"))
    assert len(reports) == 1

    platform.faults = PlatformFaults()
    platform.reset_counters()
    retried = impatient.sync()
    assert retried.exit_code == 0, retried.errors
    assert retried.summary["created"] == failed.summary["failed"] == len(impatient.users())
    assert platform.counters["operations_applied"] == retried.summary["created"]
    assert_platform_is_the_roster(impatient)
