"""Set up the project's virtual environment and run its two everyday tasks.

    python3 dev.py demo    # install what is needed, then run the demo sync end to end
    python3 dev.py ui      # the sandbox and the Dagster UI over the demo's files and history
    python3 dev.py test    # install what is needed, then lint and run the whole test suite

Only Python 3.11+ is needed: the script makes `.venv`, installs the pinned set from
`requirements.lock` into it, and skips the install when nothing changed since the last one.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
STAMP = VENV / ".installed-lock-hash"
UV_VERSION = "0.13.8"


def _lock_hash() -> str:
    digest = hashlib.sha256()
    for name in ("requirements.lock", "pyproject.toml"):
        digest.update((ROOT / name).read_bytes())
    return digest.hexdigest()


def ensure_environment() -> None:
    if sys.version_info < (3, 11):  # noqa: UP036 - dev.py runs under whatever python3 is
        sys.exit("sis-pipeline needs Python 3.11 or newer")
    if not (BIN / "python").exists():
        venv.EnvBuilder(with_pip=True).create(VENV)
    wanted = _lock_hash()
    if STAMP.exists() and STAMP.read_text() == wanted:
        return
    python = str(BIN / "python")
    run([python, "-m", "pip", "install", "--quiet", f"uv=={UV_VERSION}"])
    uv = [str(BIN / "uv"), "pip"]
    run([*uv, "sync", "--quiet", "--python", python, "--compile-bytecode", "requirements.lock"])
    run([*uv, "install", "--quiet", "--python", python, "--no-deps", "-e", "."])
    STAMP.write_text(wanted)


def run(command: list[str]) -> None:
    completed = subprocess.run(command, cwd=ROOT)
    if completed.returncode != 0:
        sys.exit(completed.returncode)


def main() -> None:
    task = sys.argv[1] if len(sys.argv) > 1 else ""
    if task not in {"demo", "ui", "test"}:
        sys.exit("usage: python3 dev.py demo|ui|test [extra arguments]")
    ensure_environment()
    os.environ.setdefault("DAGSTER_HOME", str(ROOT))
    extra = sys.argv[2:]
    if task in {"demo", "ui"}:
        run([str(BIN / "sis-pipeline"), task, *extra])
    else:
        run([str(BIN / "ruff"), "check", "."])
        run([str(BIN / "ruff"), "format", "--check", "."])
        run([str(BIN / "python"), "-m", "pytest", "-n", "2", *extra])


if __name__ == "__main__":
    main()
