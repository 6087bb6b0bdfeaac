"""Listing users a page at a time: code point order by host_id and the opaque cursor.

The cursor is the URL-safe base64 (unpadded) of the last host_id served; the next page
starts after it, so pages stay consistent when users are added or renamed between calls.
"""

from __future__ import annotations

import base64
import binascii
import bisect
import itertools
import re
from collections.abc import Mapping
from typing import Any

from sis_pipeline.sandbox.platform.user_rules import is_valid_id

CURSOR_PATTERN = re.compile(r"[A-Za-z0-9_-]{1,100}")


def encode_cursor(after_host_id: str) -> str:
    return base64.urlsafe_b64encode(after_host_id.encode("utf-8")).decode("ascii").rstrip("=")


def decode_cursor(cursor: str) -> str:
    """The host_id a cursor points after; ValueError when it is not one this server made."""
    if CURSOR_PATTERN.fullmatch(cursor) is None:
        raise ValueError("malformed cursor")
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        after = raw.decode("utf-8")
    except (binascii.Error, UnicodeDecodeError) as error:
        raise ValueError("malformed cursor") from error
    if not is_valid_id(after) or encode_cursor(after) != cursor:
        raise ValueError("malformed cursor")
    return after


def select_page(
    users: Mapping[str, dict[str, Any]],
    ordered_ids: list[str],
    status: str,
    after: str | None,
    limit: int,
) -> tuple[list[dict[str, Any]], str | None]:
    """One page of users and the host_id to continue after, or None on the last page.

    `ordered_ids` is every host_id of `users` in code point order (Python's str order, the
    order the API promises), so a page costs its own length, not the org's size.
    """
    start = 0 if after is None else bisect.bisect_right(ordered_ids, after)
    page: list[dict[str, Any]] = []
    more = False
    for host_id in itertools.islice(ordered_ids, start, None):
        user = users[host_id]
        if status != "all" and user["status"] != status:
            continue
        if len(page) == limit:
            more = True
            break
        page.append(user)
    return [dict(user) for user in page], page[-1]["host_id"] if more else None
