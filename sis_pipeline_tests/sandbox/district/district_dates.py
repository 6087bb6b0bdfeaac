"""The date the test districts are generated on, so ages and school years never drift."""

from __future__ import annotations

import datetime as dt

TODAY = dt.date(2026, 3, 2)
