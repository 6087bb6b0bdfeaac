"""Keys read so far from a table: new rows per page, and the distinct count, exactly."""

from __future__ import annotations

import pyarrow as pa

from sis_pipeline.sources.powerschool.seen_keys import SeenKeys


def keys(*values: str | None) -> pa.Array:
    return pa.array(values, pa.string())


def test_pages_in_key_order_are_all_new():
    seen = SeenKeys()
    assert seen.add_page(keys("1", "2", "3")) is None
    assert seen.add_page(keys("4", "10")) is None
    assert len(seen) == 5


def test_a_page_reaching_back_marks_only_the_keys_read_before():
    seen = SeenKeys()
    seen.add_page(keys("1", "2", "5"))
    assert seen.add_page(keys("2", "3", "5", "6")).tolist() == [False, True, False, True]
    assert len(seen) == 5


def test_a_key_twice_on_one_page_counts_once():
    seen = SeenKeys()
    seen.add_page(keys("1", "1", "2"))
    assert len(seen) == 2


def test_keys_that_are_not_plain_integers_are_compared_as_text():
    seen = SeenKeys()
    seen.add_page(keys("7", "8"))
    # "007" is not "7": as text they are different keys.
    assert seen.add_page(keys("007", "8", "a")).tolist() == [True, False, True]
    assert seen.add_page(keys(None, "7")).tolist() == [True, False]
    assert len(seen) == 5


def test_keys_past_int64_are_compared_as_text():
    seen = SeenKeys()
    seen.add_page(["1", "9223372036854775807"])
    assert seen.add_page(["9223372036854775808", "1"]).tolist() == [True, False]
    assert len(seen) == 3
