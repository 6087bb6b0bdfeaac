"""One version of the district's tables plus a small cache of filtered, sorted row orders.

`set_tables` swaps in a new snapshot, so a cache never outlives the data it was built
from, and a request that already holds a snapshot finishes on consistent data. A client
paging through a filtered query pays for the filter once: later pages slice the cached
row positions.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

import numpy as np
import pandas as pd

from .fiql import Condition, filter_mask
from .table_data import PreparedTable

_CACHE_ENTRIES = 16  # a million-row order is 8 MB; keep the cache small


class TableSnapshot:
    def __init__(self, tables: dict[str, PreparedTable]) -> None:
        self.tables = tables
        self._lock = threading.Lock()
        self._cache: OrderedDict[tuple, np.ndarray] = OrderedDict()

    def positions(
        self,
        table: str,
        conditions: tuple[Condition, ...],
        sort: str | None = None,
        descending: bool = False,
    ) -> np.ndarray | None:
        """Row positions matching `conditions` in the asked order; None means all, by key."""
        if not conditions and sort is None and not descending:
            return None
        key = (table, conditions, sort, descending)
        with self._lock:
            if key in self._cache:
                self._cache.move_to_end(key)
                return self._cache[key]
        order = self._compute(self.tables[table], conditions, sort, descending)
        with self._lock:
            self._cache[key] = order
            while len(self._cache) > _CACHE_ENTRIES:
                self._cache.popitem(last=False)
        return order

    def count(self, table: str, conditions: tuple[Condition, ...]) -> int:
        order = self.positions(table, conditions)
        return len(self.tables[table]) if order is None else len(order)

    @staticmethod
    def _compute(
        table: PreparedTable, conditions: tuple[Condition, ...], sort: str | None, descending: bool
    ) -> np.ndarray:
        frame = table.frame
        if conditions:
            order = np.flatnonzero(filter_mask(frame, conditions))
        else:
            order = np.arange(len(table))
        if sort is None and not descending:
            return order
        column = sort or table.schema.primary_key
        # Ties keep primary-key order; nulls sort as Oracle does (last ascending, first descending).
        values = frame[column].iloc[order].reset_index(drop=True)
        keyed = pd.DataFrame({"value": values, "position": order})
        keyed = keyed.sort_values(
            ["value", "position"],
            ascending=[not descending, True],
            kind="stable",
            na_position="first" if descending else "last",
        )
        return keyed["position"].to_numpy()
