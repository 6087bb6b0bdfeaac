"""Count how often a file is opened, by anyone in any process, with Linux inotify."""

from __future__ import annotations

import ctypes
import os
import struct
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

IN_OPEN = 0x00000020
IN_CLOSE = 0x00000008 | 0x00000010  # after a write, after no write
EVENT_HEADER = struct.Struct("iIII")  # wd, mask, cookie, len of the name that follows


@contextmanager
def counting_opens(path: Path) -> Iterator[Callable[[], int]]:
    """Yields a function that returns how many times `path` was opened since the start."""
    libc = ctypes.CDLL(None, use_errno=True)
    fd = libc.inotify_init1(os.O_NONBLOCK | os.O_CLOEXEC)
    if fd < 0:
        raise OSError(ctypes.get_errno(), "inotify_init1 failed")
    opens = 0

    def count() -> int:
        nonlocal opens
        while True:
            try:
                data = os.read(fd, 65536)
            except BlockingIOError:
                return opens
            offset = 0
            while offset < len(data):
                _, mask, _, name_length = EVENT_HEADER.unpack_from(data, offset)
                opens += bool(mask & IN_OPEN)
                offset += EVENT_HEADER.size + name_length

    try:
        # The kernel merges an event into an identical one still unread just before it, so
        # opens alone would count back-to-back reads as one: closes keep them apart.
        if libc.inotify_add_watch(fd, os.fsencode(path), IN_OPEN | IN_CLOSE) < 0:
            raise OSError(ctypes.get_errno(), f"inotify_add_watch {path} failed")
        yield count
    finally:
        os.close(fd)
