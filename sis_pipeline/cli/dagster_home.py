"""The Dagster instance at DAGSTER_HOME, its storage made ready under a lock.

Dagster creates an instance's SQLite storage the first time the instance is opened, and two
processes doing that at once race: one dies with a database error, or both stamp a schema
version and every later run fails. So the first opening (and any that might create or migrate
something) happens under an exclusive file lock in DAGSTER_HOME; later openings find the
storage made and pass the lock in a moment.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import dagster as dg
import yaml

from sis_pipeline.config.schools_file import ConfigError

LOCK_FILE = ".storage.lock"


def dagster_instance() -> dg.DagsterInstance:
    """The instance at DAGSTER_HOME; a folder or dagster.yaml that cannot serve is a ConfigError."""
    home = Path(os.environ.setdefault("DAGSTER_HOME", str(Path.cwd())))
    try:
        home.mkdir(parents=True, exist_ok=True)
        with _storage_lock(home):
            instance = dg.DagsterInstance.get()
            # The event log's index is created on first use, not with the instance.
            instance.get_asset_keys()
            return instance
    except OSError as error:
        raise ConfigError([f"DAGSTER_HOME {home}: {error.strerror or error}"]) from None
    except yaml.YAMLError as error:
        reason = str(error).strip().splitlines()[0]
        raise ConfigError(
            [f"DAGSTER_HOME {home}: dagster.yaml is not valid YAML ({reason})"]
        ) from None
    except dg.DagsterInvalidConfigError as error:
        # Dagster's first line only says that loading failed; the next one says what is wrong.
        lines = [line.strip() for line in str(error).splitlines() if line.strip()]
        raise ConfigError([f"DAGSTER_HOME {home}: dagster.yaml: {lines[-1][:200]}"]) from None


@contextmanager
def _storage_lock(home: Path) -> Iterator[None]:
    with os.fdopen(os.open(home / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o600), "r+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
