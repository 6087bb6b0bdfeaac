"""Run one school's reconciliation as a Dagster run in the instance at DAGSTER_HOME."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import dagster as dg

from sis_pipeline.cli.run_sync import (
    dagster_instance,
    execute_for_school,
    run_outcome,
    run_warnings,
)
from sis_pipeline.config.mapping_file import mapping_digest, parse_mapping, read_mapping_bytes
from sis_pipeline.config.schools_file import SchoolsConfig, require_secrets
from sis_pipeline.definitions import RECONCILE_JOB
from sis_pipeline.resources.schools import SchoolsResource


@dataclass
class ReconcileOutcome:
    exit_code: int
    summary: dict | None = None  # the --json object
    errors: list[str] = field(default_factory=list)
    rejected_rows: list[list] = field(default_factory=list)  # [line, old, new, outcome, reason]
    files: dict[str, str] = field(default_factory=dict)  # report_file, proposals_file
    run_id: str | None = None
    warnings: list[str] = field(default_factory=list)


def run_reconcile(
    config: SchoolsConfig,
    key: str,
    mapping_file: Path,
    *,
    schools: SchoolsResource,
    test_run: bool = False,
    instance: dg.DagsterInstance | None = None,
    verbose: bool = False,
) -> ReconcileOutcome:
    """Raises ConfigError or MappingFileError before any run when the input is wrong."""
    require_secrets(config, key)
    data = read_mapping_bytes(mapping_file)
    parse_mapping(data, str(mapping_file))
    options = {
        "mapping_file": str(mapping_file.resolve()),
        # The run applies exactly the bytes checked here, or fails saying the file changed.
        "mapping_sha256": mapping_digest(data),
        "test_run": test_run,
    }
    instance = instance or dagster_instance()
    result = execute_for_school(
        config,
        key,
        schools,
        RECONCILE_JOB,
        {"reconcile": options},
        "reconcile",
        test_run,
        instance,
        verbose,
    )
    exit_code, metadata, errors = run_outcome(result, "reconciliation")
    files = {name: metadata[name] for name in ("report_file", "proposals_file") if name in metadata}
    return ReconcileOutcome(
        exit_code,
        metadata.get("summary"),
        errors,
        metadata.get("rejected_rows", []),
        files,
        result.run_id,
        [] if verbose else run_warnings(instance, result.run_id),
    )
