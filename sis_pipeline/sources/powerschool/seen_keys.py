"""The primary keys already read from one table: which rows of a page are new, and how many
distinct keys there were.

PowerSchool's keys are integers and pages come in ascending key order, so a page whose keys
all lie above every key read so far holds only new rows; that is nearly every page, and it
costs one comparison. Only a page reaching back (a row served twice, when rows were inserted
ahead mid-read) is checked key by key. Integer keys are kept as int64 arrays, 8 bytes each:
a million-person district has millions of keys, which as a set of strings would cost
hundreds of megabytes. Keys that are not plain integers fall back to a set of strings.
A page's keys are checked in plain Python, not Arrow: a page is a hundred keys, and an Arrow
call per page would wait on the other reading threads for Python's lock each time.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyarrow as pa

INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1


class SeenKeys:
    def __init__(self) -> None:
        self._chunks: list[np.ndarray] = []
        self._highest: int | None = None
        self._texts: set[str | None] | None = None  # once a key is not a plain integer

    def add_page(
        self, keys: Sequence[str | None] | pa.Array | pa.ChunkedArray
    ) -> np.ndarray | None:
        """Record the page's keys (text, or None); a mask of its rows with keys not read
        before (None: all)."""
        if isinstance(keys, (pa.Array, pa.ChunkedArray)):
            keys = keys.to_pylist()
        numbers = None if self._texts is not None else _plain_integers(keys)
        if numbers is None:
            return self._add_texts(keys)
        if not numbers:
            return None
        page = np.array(numbers, dtype=np.int64)
        fresh = None
        if self._highest is not None and min(numbers) <= self._highest:
            fresh = ~np.isin(page, self.integers())
            page = page[fresh]
        if len(page):
            self._chunks.append(page)
            top = int(page.max())
            self._highest = top if self._highest is None else max(self._highest, top)
        return fresh

    def integers(self) -> np.ndarray:
        if len(self._chunks) > 1:
            self._chunks = [np.concatenate(self._chunks)]
        return self._chunks[0] if self._chunks else np.empty(0, np.int64)

    def __len__(self) -> int:
        if self._texts is not None:
            return len(self._texts)
        return len(np.unique(self.integers()))

    def _add_texts(self, keys: Sequence[str | None]) -> np.ndarray | None:
        if self._texts is None:
            self._texts = {str(k) for k in self.integers().tolist()}
            self._chunks = []
        fresh = np.array([k not in self._texts for k in keys], dtype=bool)
        self._texts.update(keys)
        return None if fresh.all() else fresh


def _plain_integers(keys: Sequence[str | None]) -> list[int] | None:
    """The keys as int64 values when every one is an integer written the plain way ("12",
    not "012", " 12" or "+12")."""
    try:
        numbers = [int(k) for k in keys]  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    if any(str(n) != k for n, k in zip(numbers, keys, strict=True)):
        return None
    if numbers and (min(numbers) < INT64_MIN or max(numbers) > INT64_MAX):
        return None
    return numbers
