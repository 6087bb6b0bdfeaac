"""One run per school at a time on this machine: an exclusive lock on the school's folder.

The lock is an flock on `<data dir>/schools/<key>/.sync.lock`, held by whatever runs the
school's job (the CLI, or Dagster's run worker for UI, schedule, sensor and backfill runs).
The kernel releases it when the holding process dies, however it dies, so a killed run never
keeps its school locked. It is re-entrant within one thread: the CLI takes it before it starts
the run, and the run's own resource then finds it already held, so nothing can slip in
between. Another thread or process asking for it is refused at once.
"""

from __future__ import annotations

import fcntl
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

LOCK_FILE = ".sync.lock"
# A dead-run sweep may hold a free lock for an instant to test it; a run starting in that
# instant waits this long before it calls the school busy.
PATIENCE_SECONDS = 0.5

_held: dict[Path, int] = {}  # lock file -> ident of the thread holding it
_held_guard = threading.Lock()


def _forget_in_child() -> None:
    # A forked child shares its parent's open locks but holds none of them itself.
    global _held_guard
    _held.clear()
    _held_guard = threading.Lock()


os.register_at_fork(after_in_child=_forget_in_child)


class SchoolBusy(Exception):
    """Another run of the same school is in progress; `str()` is the one line to show."""


def busy_message(key: str) -> str:
    return f"schools.{key}: another run of this school is in progress"


@contextmanager
def school_lock(school_dir: Path, key: str) -> Iterator[None]:
    """Hold the school's lock for the block; SchoolBusy if another thread or process has it."""
    path = (school_dir / LOCK_FILE).resolve()
    me = threading.get_ident()
    with _held_guard:
        if _held.get(path) == me:
            reentered = True
        else:
            reentered = False
            if path in _held:
                raise SchoolBusy(busy_message(key))
            _held[path] = me
    if reentered:
        yield
        return
    try:
        with _open(path) as handle:
            if not _try_lock(handle, PATIENCE_SECONDS):
                raise SchoolBusy(busy_message(key))
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)
    finally:
        with _held_guard:
            _held.pop(path, None)


def lock_is_free(school_dir: Path) -> bool:
    """Whether no process holds the school's lock (tested by taking it for an instant)."""
    path = (school_dir / LOCK_FILE).resolve()
    with _held_guard:
        if path in _held:
            return False
    if not path.exists():
        return True
    with _open(path) as handle:
        if not _try_lock(handle, 0):
            return False
        fcntl.flock(handle, fcntl.LOCK_UN)
        return True


def _open(path: Path):
    return os.fdopen(os.open(path, os.O_RDWR | os.O_CREAT, 0o600), "r+")


def _try_lock(handle, patience: float) -> bool:
    deadline = time.monotonic() + patience
    while True:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.05)
