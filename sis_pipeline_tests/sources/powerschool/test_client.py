"""The PowerSchool client against the simulator over loopback: auth, paging, faults, errors."""

from __future__ import annotations

import time

import pandas as pd
import pytest

from sis_pipeline.http.retry import RetryPolicy
from sis_pipeline.sandbox.powerschool import PowerSchoolFaults, PowerSchoolSimulator
from sis_pipeline.sources.powerschool.client import (
    EXTRA_PAGES,
    PowerSchoolClient,
    PowerSchoolError,
)
from sis_pipeline_tests.loopback_servers import ResettingProxy

FAST = RetryPolicy(max_attempts=5, base_delay=0.01, max_delay=0.05, max_total_seconds=10)
COLUMNS = ["dcid", "student_number", "first_name", "last_name", "grade_level"]


def students(n: int) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "dcid": range(1, n + 1),
            "student_number": [1000 + i for i in range(n)],
            "first_name": [f"First{i}" for i in range(n)],
            "last_name": [None if i == 3 else f"Last{i}" for i in range(n)],
            "grade_level": [9 + i % 4 for i in range(n)],
            "schoolid": [100 if i % 2 else 200 for i in range(n)],
        }
    )


@pytest.fixture
def simulator():
    with PowerSchoolSimulator({"students": students(23)}, max_page_size=5) as sim:
        yield sim


def client_for(sim: PowerSchoolSimulator, **kwargs) -> PowerSchoolClient:
    return PowerSchoolClient(sim.url, "sandbox-client", "sandbox-secret", policy=FAST, **kwargs)


def all_rows(client: PowerSchoolClient, q: str | None = None) -> list[dict]:
    return [row for page in client.iter_pages("students", COLUMNS, "dcid", q) for row in page]


def test_rows_of_consecutive_pages_come_as_one_table(simulator):
    with client_for(simulator) as client:
        tables = list(client.iter_batches("students", COLUMNS, "dcid", chunk_rows=10))
    # Pages of 5: two pages to a table, the last table whatever is left.
    assert [t.num_rows for t in tables] == [10, 10, 3]
    assert [k for t in tables for k in t.column("dcid").to_pylist()] == [
        str(i) for i in range(1, 24)
    ]


def test_reads_every_page_in_order_with_nulls_as_none(simulator):
    with client_for(simulator) as client:
        rows = all_rows(client)
    assert [r["dcid"] for r in rows] == [str(i) for i in range(1, 24)]
    assert rows[3]["last_name"] is None
    assert rows[0] == {
        "dcid": "1",
        "student_number": "1000",
        "first_name": "First0",
        "last_name": "Last0",
        "grade_level": "9",
    }
    # page size from metadata: 23 rows in pages of 5
    assert simulator.request_counts["/ws/schema/table/students"] == 5
    assert simulator.request_counts["/ws/v1/metadata"] == 1


def test_token_is_fetched_once_and_reused(simulator):
    with client_for(simulator) as client:
        all_rows(client)
        all_rows(client)
    assert simulator.request_counts["/oauth/access_token"] == 1


def test_expired_token_is_renewed_once_and_the_read_completes(simulator):
    simulator.faults = PowerSchoolFaults(token_expires_after_requests=3)
    with client_for(simulator, concurrency=1) as client:
        rows = all_rows(client)
    assert len(rows) == 23
    assert simulator.request_counts["/oauth/access_token"] >= 2


def test_a_token_dying_under_parallel_page_reads_is_renewed_once_per_death(simulator):
    simulator.faults = PowerSchoolFaults(token_expires_after_requests=3)
    with client_for(simulator, concurrency=4) as client:
        rows = [row for _ in range(4) for row in all_rows(client)]
    assert len(rows) == 4 * 23
    refused = sum(1 for _, _, status in simulator.requests if status == 401)
    # Threads that meet the same dead token share one renewal.
    assert refused >= 1
    assert simulator.request_counts["/oauth/access_token"] <= refused + 1


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_each_transient_server_error_is_retried(simulator, status):
    simulator.faults = PowerSchoolFaults(server_error_every=2, server_error_status=status)
    with client_for(simulator) as client:
        assert len(all_rows(client)) == 23
    assert status in {code for _, _, code in simulator.requests}


def test_rate_limits_and_server_errors_are_retried(simulator):
    simulator.faults = PowerSchoolFaults(
        rate_limit_every=3, retry_after_seconds=0, server_error_every=4, server_error_status=503
    )
    with client_for(simulator) as client:
        rows = all_rows(client)
    assert len(rows) == 23
    statuses = [status for _, _, status in simulator.requests]
    assert 429 in statuses and 503 in statuses


def test_retry_after_is_honoured(simulator):
    simulator.faults = PowerSchoolFaults(rate_limit_every=2, retry_after_seconds=1)
    started = time.monotonic()
    with client_for(simulator, concurrency=1) as client:
        client.count("students")
        client.count("students")  # the 2nd /ws request gets 429, Retry-After: 1
    assert time.monotonic() - started >= 1.0


def test_a_server_that_keeps_failing_ends_in_bounded_time(simulator):
    simulator.faults = PowerSchoolFaults(server_error_every=1)
    started = time.monotonic()
    with client_for(simulator) as client, pytest.raises(PowerSchoolError, match="gave up"):
        all_rows(client)
    assert time.monotonic() - started < 10


def test_fewer_rows_than_counted_is_an_error(simulator):
    simulator.faults = PowerSchoolFaults(count_skew={"students": 7})
    with client_for(simulator) as client, pytest.raises(PowerSchoolError, match="incomplete"):
        all_rows(client)


def test_rows_beyond_the_count_are_still_read(simulator):
    simulator.faults = PowerSchoolFaults(count_skew={"students": -6})
    with client_for(simulator) as client:
        assert len(all_rows(client)) == 23


def test_pages_are_asked_in_primary_key_order(simulator):
    simulator.faults = PowerSchoolFaults(reversed_without_sort={"students"})
    with client_for(simulator) as client:
        rows = all_rows(client)
    assert [r["dcid"] for r in rows] == [str(i) for i in range(1, 24)]


@pytest.mark.parametrize("shift", [1, 4])
def test_a_row_served_on_two_pages_is_read_once(simulator, shift):
    simulator.faults = PowerSchoolFaults(rows_inserted_ahead={"students": shift})
    with client_for(simulator) as client:
        rows = all_rows(client)
    assert sorted(int(r["dcid"]) for r in rows) == list(range(1, 24))


def test_a_server_that_ignores_page_fails_after_a_bounded_number_of_pages(simulator):
    simulator.faults = PowerSchoolFaults(page_ignored={"students"})
    with client_for(simulator) as client, pytest.raises(PowerSchoolError) as raised:
        all_rows(client)
    assert str(raised.value) == (
        "students: read 5 distinct rows but PowerSchool counted 23, 30 rows served twice; "
        "the extraction is incomplete"
    )
    # 23 rows in pages of 5: the 5 pages counted plus 2 more, never an endless walk.
    assert simulator.request_counts["/ws/schema/table/students"] == 5 + EXTRA_PAGES


def test_full_pages_past_the_count_stop_after_the_margin(simulator):
    simulator.faults = PowerSchoolFaults(count_skew={"students": -20})
    with client_for(simulator) as client, pytest.raises(PowerSchoolError) as raised:
        all_rows(client)
    assert "full pages 2 pages past its count of 3 rows" in str(raised.value)
    assert simulator.request_counts["/ws/schema/table/students"] == 1 + EXTRA_PAGES


def test_a_guessed_page_size_that_the_server_clamps_still_reads_every_row(simulator):
    simulator.faults = PowerSchoolFaults(metadata_without_page_size=True)
    with client_for(simulator) as client:
        assert client.page_size() == 100  # a guess; the server's pages hold 5
        assert sorted(int(r["dcid"]) for r in all_rows(client)) == list(range(1, 24))


def test_an_empty_page_ends_the_table():
    with PowerSchoolSimulator({"students": students(10)}, max_page_size=5) as sim:
        sim.faults = PowerSchoolFaults(count_skew={"students": 30})  # 40 counted: 8 pages
        with client_for(sim, concurrency=1) as client, pytest.raises(PowerSchoolError):
            all_rows(client)
        # Page 3 is empty; page 4 may already have been asked for (two pages in flight).
        assert sim.request_counts["/ws/schema/table/students"] <= 4


def test_school_filter_query(simulator):
    with client_for(simulator) as client:
        pages = client.iter_pages("students", ["dcid"], "dcid", "schoolid==100")
        rows = [r for page in pages for r in page]
    assert [r["dcid"] for r in rows] == [str(i) for i in range(2, 24, 2)]


def test_bad_credentials_give_a_clear_error_without_the_secret(simulator):
    with (
        PowerSchoolClient(simulator.url, "sandbox-client", "wrong-secret-xyz", policy=FAST) as c,
        pytest.raises(PowerSchoolError) as raised,
    ):
        c.count("students")
    assert "refused the client credentials" in str(raised.value)
    assert "wrong-secret-xyz" not in str(raised.value)


def test_an_issued_token_with_line_breaks_is_refused_without_showing_it(simulator):
    simulator.faults = PowerSchoolFaults(access_token="ps-tok\r\nX-Extra: 9d1f")
    with client_for(simulator) as client, pytest.raises(PowerSchoolError) as raised:
        client.count("students")
    assert str(raised.value) == (
        "PowerSchool issued an access token with white space or control characters"
    )
    assert "/ws/schema/table/students/count" not in simulator.request_counts


def test_errors_are_in_our_words_not_the_server_text(simulator):
    with client_for(simulator) as client, pytest.raises(PowerSchoolError) as raised:
        client.fetch_page("students", ["no_such_column"], 1, 5, "no_such_column")
    assert str(raised.value) == "students: PowerSchool answered HTTP 400"


def test_ungranted_field_names_the_field(simulator):
    simulator.set_plugin_xml(
        '<plugin xmlns="http://plugin.powerschool.pearson.com" name="x" version="1">'
        '<oauth/><publisher name="p"><contact email="a@example.org"/></publisher>'
        '<access_request><field table="STUDENTS" field="DCID" access="ViewOnly"/>'
        "</access_request></plugin>"
    )
    with client_for(simulator) as client, pytest.raises(PowerSchoolError) as raised:
        all_rows(client)
    assert "First_Name" in str(raised.value) or "FIRST_NAME" in str(raised.value).upper()
    assert "plugin" in str(raised.value)


def test_plain_http_to_a_remote_host_is_refused():
    with pytest.raises(ValueError, match="loopback"):
        PowerSchoolClient("http://powerschool.example.org", "id", "secret")


def test_connections_reset_by_the_network_are_retried(simulator):
    host, port = simulator.url.removeprefix("http://").split(":")
    proxy = ResettingProxy((host, int(port)), resets=3)
    try:
        with PowerSchoolClient(proxy.url, "sandbox-client", "sandbox-secret", policy=FAST) as c:
            rows = all_rows(c)
    finally:
        proxy.close()
    assert len(rows) == 23 and proxy.accepted > 3
