"""The school lock: one holder at a time across threads and processes, re-entrant in one
thread, released when its holder dies."""

from __future__ import annotations

import os
import signal
import threading

import pytest

from sis_pipeline.resources.school_lock import SchoolBusy, lock_is_free, school_lock


def in_thread(action) -> BaseException | None:
    raised = []

    def attempt() -> None:
        try:
            action()
        except BaseException as error:  # noqa: BLE001 - handed back to the test
            raised.append(error)

    thread = threading.Thread(target=attempt)
    thread.start()
    thread.join()
    return raised[0] if raised else None


def take(folder, key="riverdale"):
    with school_lock(folder, key):
        pass


def test_one_holder_re_entrant_in_its_own_thread(tmp_path):
    (tmp_path / "other").mkdir()
    assert lock_is_free(tmp_path)
    with school_lock(tmp_path, "riverdale"):
        assert not lock_is_free(tmp_path)
        with school_lock(tmp_path, "riverdale"):  # the CLI's lock, then its run's
            pass
        refused = in_thread(lambda: take(tmp_path))
        assert isinstance(refused, SchoolBusy)
        assert str(refused) == "schools.riverdale: another run of this school is in progress"
        assert in_thread(lambda: take(tmp_path / "other")) is None  # another school runs
    assert lock_is_free(tmp_path)
    assert in_thread(lambda: take(tmp_path)) is None


def test_another_process_is_refused_and_a_killed_holder_frees_the_lock(tmp_path):
    ready_read, ready_write = os.pipe()
    pid = os.fork()
    if pid == 0:
        with school_lock(tmp_path, "riverdale"):
            os.write(ready_write, b"x")
            signal.pause()
        os._exit(0)
    os.read(ready_read, 1)
    with pytest.raises(SchoolBusy):
        take(tmp_path)
    assert not lock_is_free(tmp_path)
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    assert lock_is_free(tmp_path)
    take(tmp_path)
