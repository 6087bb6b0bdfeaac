"""A school's API clients, built from its settings and the secrets its env vars hold.

This is where configuration meets clients and secrets: `SchoolsResource` hands these to the
assets, and `sis-pipeline check` uses them directly without loading Dagster.
"""

from __future__ import annotations

import os

from sis_pipeline.config.schools_file import SchoolsConfig, require_secrets
from sis_pipeline.http.retry import RetryPolicy
from sis_pipeline.sources.platform.client import PlatformClient
from sis_pipeline.sources.powerschool.client import PowerSchoolClient


def powerschool_client(
    config: SchoolsConfig, key: str, policy: RetryPolicy | None = None
) -> PowerSchoolClient:
    """The school's PowerSchool client, with the secrets its env vars hold."""
    require_secrets(config, key)
    settings = config.school(key).powerschool
    return PowerSchoolClient(
        settings.url,
        os.environ[settings.client_id_env],
        os.environ[settings.client_secret_env],
        policy=policy,
        concurrency=settings.max_concurrent_requests,
    )


def platform_client(
    config: SchoolsConfig, key: str, policy: RetryPolicy | None = None
) -> PlatformClient:
    """The platform client for the school's org, with the token its env var holds."""
    require_secrets(config, key)
    return PlatformClient(
        config.platform.url,
        os.environ[config.platform.token_env],
        config.school(key).org_id,
        policy=policy,
    )
