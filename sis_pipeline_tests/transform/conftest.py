from __future__ import annotations

from collections.abc import Iterator

import duckdb
import pytest


@pytest.fixture
def con(tmp_path) -> Iterator[duckdb.DuckDBPyConnection]:
    connection = duckdb.connect(str(tmp_path / "school.duckdb"))
    yield connection
    connection.close()
