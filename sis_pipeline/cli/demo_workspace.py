"""The demo's own files, shared by `demo`, `sandbox` and `ui` so that all three show one history.

Under `<data dir>/demo/`: the schools file (the bundled `data/schools.yaml` with the sandbox's
URLs), the schools' DuckDB files and reports, the platform's saved state, and `district.json`,
which says how to generate the district again (size, seed, day, week) so that the PowerSchool
simulator serves the same people the demo last synced.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime
from importlib import resources
from pathlib import Path

import yaml

from sis_pipeline.cli.sandbox_servers import Sandbox, running_sandbox
from sis_pipeline.config.schools_file import (
    ConfigError,
    SchoolsConfig,
    data_dir,
    load_schools_config,
)
from sis_pipeline.sandbox.district import next_week
from sis_pipeline.sandbox.mail_sink import running_mail_sink

# Package data, so `demo`, `sandbox` and `ui` work from an installed wheel; a checkout's
# data/schools.yaml (the default schools file, for `dagster dev`) is a link to it.
DEMO_SCHOOLS_FILE = resources.files("sis_pipeline.sandbox") / "schools.yaml"
DEMO_PEOPLE = 1500
DEMO_SEED = 7
NEXT_WEEK_SEED = 1


@dataclass(frozen=True)
class DistrictRecipe:
    """How the demo's district is generated: `week` 2 is week 1 plus next_week()."""

    people: int = DEMO_PEOPLE
    seed: int = DEMO_SEED
    today: str = ""  # YYYY-MM-DD of week 1; empty: today in UTC
    week: int = 1

    def first_day(self) -> date:
        return date.fromisoformat(self.today) if self.today else datetime.now(UTC).date()


@dataclass(frozen=True)
class DemoWorkspace:
    root: Path

    @classmethod
    def default(cls) -> DemoWorkspace:
        return cls(data_dir() / "demo")

    @property
    def schools_file(self) -> Path:
        return self.root / "schools.yaml"

    @property
    def mail_folder(self) -> Path:
        """The run summaries the demo's mail sink received, one `.eml` file each."""
        return self.root / "mail"

    @property
    def platform_state(self) -> Path:
        return self.root / "platform-state.json"

    @property
    def recipe_file(self) -> Path:
        return self.root / "district.json"

    def recipe(self, fresh: DistrictRecipe | None = None) -> DistrictRecipe:
        """The last demo's district, or `fresh` when no demo ran here yet."""
        try:
            return DistrictRecipe(**json.loads(self.recipe_file.read_text(encoding="utf-8")))
        except (OSError, ValueError, TypeError):
            return fresh or DistrictRecipe()

    def save_recipe(self, recipe: DistrictRecipe) -> None:
        self.recipe_file.write_text(json.dumps(asdict(recipe)) + "\n", encoding="utf-8")

    def environment(self) -> dict[str, str]:
        """What points a Dagster process (and the CLI) at these files."""
        return {
            "SIS_PIPELINE_CONFIG": str(self.schools_file.resolve()),
            "SIS_PIPELINE_DATA_DIR": str(self.root.resolve()),
        }


def demo_orgs() -> dict[str, str]:
    """org_id -> name of the bundled demo schools."""
    try:
        template = yaml.safe_load(DEMO_SCHOOLS_FILE.read_text(encoding="utf-8"))
        return {school["org_id"]: school["name"] for school in template["schools"].values()}
    except (OSError, KeyError, TypeError, AttributeError, yaml.YAMLError) as error:
        raise ConfigError(
            [f"{DEMO_SCHOOLS_FILE}: cannot read the demo schools file ({error})"]
        ) from None


def write_demo_schools_file(
    workspace: DemoWorkspace, sandbox: Sandbox, mail_port: int | None = None
) -> SchoolsConfig:
    """The bundled schools file, pointed at this sandbox's URLs (and its mail sink, when one
    runs), as the workspace's own."""
    template = yaml.safe_load(DEMO_SCHOOLS_FILE.read_text(encoding="utf-8"))
    if mail_port:
        template["notifications"] = {
            "smtp": {"host": "127.0.0.1", "port": mail_port, "starttls": False},
            "from": "sis-pipeline@demo.example.org",
            "operators": ["data-team@demo.example.org"],
        }
    template["platform"]["url"] = sandbox.platform.url
    template.setdefault("defaults", {}).setdefault("powerschool", {})
    template["defaults"]["powerschool"]["url"] = sandbox.powerschool.url
    workspace.root.mkdir(parents=True, exist_ok=True, mode=0o700)
    workspace.schools_file.write_text(yaml.safe_dump(template, sort_keys=False), encoding="utf-8")
    return load_schools_config(workspace.schools_file)


@contextmanager
def demo_sandbox(
    workspace: DemoWorkspace,
    powerschool_port: int = 0,
    platform_port: int = 0,
    fresh: DistrictRecipe | None = None,
) -> Iterator[tuple[Sandbox, SchoolsConfig]]:
    """The simulators serving the demo's district as last synced (or `fresh` when no demo ran
    yet) and the platform's saved state, with the workspace's schools file pointed at them."""
    recipe = workspace.recipe(fresh)
    workspace.root.mkdir(parents=True, exist_ok=True, mode=0o700)
    with (
        running_sandbox(
            demo_orgs(),
            people=recipe.people,
            seed=recipe.seed,
            today=recipe.first_day(),
            powerschool_port=powerschool_port,
            platform_port=platform_port,
            state_file=workspace.platform_state,
        ) as sandbox,
        running_mail_sink(workspace.mail_folder) as mail_port,
    ):
        for _ in range(recipe.week - 1):
            sandbox.district = next_week(sandbox.district, seed=NEXT_WEEK_SEED)
        if recipe.week > 1:
            sandbox.powerschool.set_tables(sandbox.district.tables)
        yield sandbox, write_demo_schools_file(workspace, sandbox, mail_port)
