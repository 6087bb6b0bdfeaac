"""The primary keys already read from one table: which rows of a page are new, and how many
distinct keys there were.

PowerSchool's keys are integers and pages come in ascending key order, so a page whose keys
all lie above every key read so far holds only new rows; that is nearly every page, and it
costs one comparison. Only a page reaching back (a row served twice, when rows were inserted
ahead mid-read) is checked key by key. Integer keys are kept as int64 arrays, 8 bytes each:
a million-person district has millions of keys, which as a set of strings would cost
hundreds of megabytes. Keys that are not plain integers fall back to a set of strings.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc


class SeenKeys:
    def __init__(self) -> None:
        self._chunks: list[np.ndarray] = []
        self._highest: int | None = None
        self._texts: set[str | None] | None = None  # once a key is not a plain integer

    def add_page(self, keys: pa.ChunkedArray | pa.Array) -> np.ndarray | None:
        """Record the page's keys; a mask of its rows with keys not read before (None: all)."""
        numbers = None if self._texts is not None else _plain_integers(keys)
        if numbers is None:
            return self._add_texts(keys.to_pylist())
        if self._highest is not None and len(numbers) and numbers.min() <= self._highest:
            fresh = ~np.isin(numbers, self.integers())
            numbers = numbers[fresh]
        else:
            fresh = None
        if len(numbers):
            self._chunks.append(numbers)
            top = int(numbers.max())
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

    def _add_texts(self, keys: list[str | None]) -> np.ndarray | None:
        if self._texts is None:
            self._texts = {str(k) for k in self.integers().tolist()}
            self._chunks = []
        fresh = np.array([k not in self._texts for k in keys], dtype=bool)
        self._texts.update(keys)
        return None if fresh.all() else fresh


def _plain_integers(keys: pa.ChunkedArray | pa.Array) -> np.ndarray | None:
    """The keys as int64 when every one is an integer written the plain way ("12", not "012")."""
    if keys.null_count:
        return None
    try:
        numbers = pc.cast(keys, pa.int64())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None
    if len(keys) and not pc.all(pc.equal(pc.cast(numbers, pa.string()), keys)).as_py():
        return None
    return numbers.to_numpy()
