"""Build a school's API clients from the schools file and the environment it names."""

from __future__ import annotations

import os

from sis_pipeline.config.schools_file import SchoolsConfig, require_secrets
from sis_pipeline.http.retry import RetryPolicy
from sis_pipeline.resources.platform.client import PlatformClient
from sis_pipeline.sources.powerschool.client import PowerSchoolClient


def powerschool_client(
    config: SchoolsConfig, key: str, policy: RetryPolicy | None = None
) -> PowerSchoolClient:
    require_secrets(config, key)
    settings = config.school(key).powerschool
    return PowerSchoolClient(
        settings.url,
        os.environ[settings.client_id_env],
        os.environ[settings.client_secret_env],
        policy=policy,
    )


def platform_client(
    config: SchoolsConfig, key: str, policy: RetryPolicy | None = None
) -> PlatformClient:
    require_secrets(config, key)
    return PlatformClient(
        config.platform.url,
        os.environ[config.platform.token_env],
        config.school(key).org_id,
        policy=policy,
    )
