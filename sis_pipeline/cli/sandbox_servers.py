"""Both sandbox servers with a generated district, for `demo`, `sandbox`, tests and benches.

This is one of the few places where the sandbox meets the product: the servers are built
from the API documents alone and know nothing of our clients.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sis_pipeline.config.schools_file import SchoolsConfig
from sis_pipeline.sandbox.district import District, generate_district
from sis_pipeline.sandbox.platform import PlatformServer
from sis_pipeline.sandbox.powerschool import PowerSchoolSimulator

CLIENT_ID = "sandbox-client"
CLIENT_SECRET = "sandbox-secret"
PLATFORM_TOKEN = "sandbox-platform-token"


@dataclass
class Sandbox:
    district: District
    powerschool: PowerSchoolSimulator
    platform: PlatformServer

    def environment(self, config: SchoolsConfig) -> dict[str, str]:
        """The env vars the schools file names, set to the sandbox's credentials."""
        values = {config.platform.token_env: PLATFORM_TOKEN}
        for school in config.schools.values():
            values[school.powerschool.client_id_env] = CLIENT_ID
            values[school.powerschool.client_secret_env] = CLIENT_SECRET
        return values


@contextmanager
def running_sandbox(
    orgs: dict[str, str],
    *,
    people: int = 2000,
    seed: int = 7,
    today: date | None = None,
    powerschool_port: int = 0,
    platform_port: int = 0,
    state_file: Path | None = None,
) -> Iterator[Sandbox]:
    district = generate_district(people, seed=seed, school_numbers=(100, 200), today=today)
    with ExitStack() as stack:
        powerschool = stack.enter_context(
            PowerSchoolSimulator(district.tables, CLIENT_ID, CLIENT_SECRET, port=powerschool_port)
        )
        platform = stack.enter_context(
            PlatformServer(PLATFORM_TOKEN, orgs, state_file=state_file, port=platform_port)
        )
        yield Sandbox(district, powerschool, platform)
