"""The walls between layers (house style): each package imports only what its layer may.

Imports are read from the source with `ast`, including those inside functions, so a lazy
import cannot climb a wall unseen either.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import sis_pipeline

PACKAGE = Path(sis_pipeline.__file__).parent
CLIENTS = ("sis_pipeline.sources.powerschool.client", "sis_pipeline.sources.platform.client")
# The dlt source itself (`sources/powerschool/__init__.py`) reads through the client; its
# settings module does not. A trailing "$" matches that name only, not what is under it.
DLT_SOURCES = ("sis_pipeline.sources.powerschool$",)
DAGSTER = ("dagster", "dagster_dlt", "dagster_duckdb", "dagster_shared")


def imported_names(path: Path) -> set[str]:
    """Every module a file imports, and `module.name` for each `from module import name`."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names |= {f"{node.module}.{alias.name}" for alias in node.names}
    return names


def within(name: str, patterns: tuple[str, ...]) -> bool:
    """Whether `name` is one of the patterns' modules or, unless it ends in "$", under one."""
    return any(
        name == pattern.removesuffix("$")
        or (not pattern.endswith("$") and name.startswith(pattern + "."))
        for pattern in patterns
    )


def ours(folder: str) -> tuple[str, ...]:
    return (f"sis_pipeline.{folder}",)


OURS_OUTSIDE_CONFIG = tuple(
    f"sis_pipeline.{path.stem}"
    for path in PACKAGE.iterdir()
    if path.name != "config" and (path.is_dir() or path.suffix == ".py")
    if not path.name.startswith("_")
)

# folder -> what no file in it may import
WALLS: dict[str, tuple[str, ...]] = {
    "config": OURS_OUTSIDE_CONFIG + DAGSTER,
    "transform": CLIENTS
    + DLT_SOURCES
    + ours("http")
    + ours("resources")
    + ours("assets")
    + ours("sandbox"),
    "sources": DAGSTER
    + ours("transform")
    + ours("resources")
    + ours("assets")
    + ours("automation")
    + ours("sink")
    + ours("cli")
    + ours("sandbox"),
    "http": DAGSTER
    + ours("sources")
    + ours("transform")
    + ours("resources")
    + ours("assets")
    + ours("cli")
    + ours("sandbox"),
    # The simulators are built from the API documents, not from our clients.
    "sandbox": ours("sources") + ours("http") + ours("resources") + ours("assets"),
}
# Only the CLI's demo and sandbox commands bring production code and the sandbox together.
SANDBOX_USERS = ("cli", "sandbox")


def files_in(folder: str) -> list[Path]:
    return sorted((PACKAGE / folder).rglob("*.py"))


def arrows(forbidden: dict[str, tuple[str, ...]]) -> list[str]:
    found = []
    for folder, walls in forbidden.items():
        for path in files_in(folder):
            for name in sorted(imported_names(path)):
                if within(name, walls):
                    found.append(f"{path.relative_to(PACKAGE.parent)} imports {name}")
    return found


@pytest.mark.parametrize("folder", sorted(WALLS))
def test_no_import_climbs_a_wall(folder):
    assert arrows({folder: WALLS[folder]}) == []


def test_production_code_never_imports_the_sandbox():
    folders = [
        path.name
        for path in PACKAGE.iterdir()
        if path.is_dir() and not path.name.startswith("_") and path.name not in SANDBOX_USERS
    ]
    found = arrows({folder: ours("sandbox") for folder in folders})
    found += [
        name for name in imported_names(PACKAGE / "definitions.py") if within(name, ours("sandbox"))
    ]
    assert found == []


def test_the_walls_see_an_arrow_that_climbs_one(tmp_path):
    source = tmp_path / "model.py"
    source.write_text(
        "def lazy():\n"
        "    from sis_pipeline.sources.platform import client\n"
        "    import dagster as dg\n",
        encoding="utf-8",
    )
    names = imported_names(source)
    assert within("sis_pipeline.sources.platform.client", CLIENTS)
    assert any(within(name, WALLS["transform"]) for name in names)
    assert any(within(name, WALLS["sources"]) for name in names)
    assert within("sis_pipeline.sources.powerschool", WALLS["transform"])
    assert not within("sis_pipeline.sources.powerschool.settings", WALLS["transform"])
