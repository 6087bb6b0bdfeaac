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


@dataclass(frozen=True)
class Credentials:
    client_id: str = CLIENT_ID
    client_secret: str = CLIENT_SECRET
    platform_token: str = PLATFORM_TOKEN


@dataclass
class Sandbox:
    district: District
    powerschool: PowerSchoolSimulator
    platform: PlatformServer
    credentials: Credentials = Credentials()

    def environment(self, config: SchoolsConfig) -> dict[str, str]:
        """The env vars the schools file names, set to the sandbox's credentials."""
        values = {config.platform.token_env: self.credentials.platform_token}
        for school in config.schools.values():
            values[school.powerschool.client_id_env] = self.credentials.client_id
            values[school.powerschool.client_secret_env] = self.credentials.client_secret
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
    credentials: Credentials = Credentials(),
) -> Iterator[Sandbox]:
    district = generate_district(people, seed=seed, school_numbers=(100, 200), today=today)
    with ExitStack() as stack:
        powerschool = stack.enter_context(
            PowerSchoolSimulator(
                district.tables,
                credentials.client_id,
                credentials.client_secret,
                port=powerschool_port,
            )
        )
        platform = stack.enter_context(
            PlatformServer(
                credentials.platform_token, orgs, state_file=state_file, port=platform_port
            )
        )
        yield Sandbox(district, powerschool, platform, credentials)
