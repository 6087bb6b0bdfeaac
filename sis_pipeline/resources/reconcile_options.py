"""Per-run switches of a reconciliation, and where a school's mapping file is dropped."""

from __future__ import annotations

from pathlib import Path

import dagster as dg
from pydantic import Field

MAPPING_FOLDER = "reconciliation"  # under the data dir: <data dir>/reconciliation/<school>.csv


def dropped_mapping_file(data_root: Path, key: str) -> Path:
    return data_root / MAPPING_FOLDER / f"{key}.csv"


class ReconcileOptions(dg.ConfigurableResource):
    """The `reconcile` command's arguments, or the launchpad's resource config in the UI.

    With no `mapping_file`, a run reads the file dropped for its school, if there is one, and
    otherwise only proposes: so a backfill over several schools needs no config per school.
    With `mapping_sha256` (the sensor and the command line set it), the run applies the file
    only if its bytes are the ones seen when the run was asked for.
    """

    mapping_file: str = Field(
        default="",
        description="Path of the mapping CSV (old_host_id,new_host_id); empty: the file "
        "dropped at <data dir>/reconciliation/<school>.csv, if any, else proposals only.",
    )
    mapping_sha256: str = Field(
        default="",
        description="sha256 of the mapping file's bytes when the run was asked for; the run "
        "applies the file only if it still has them. Empty: whatever the file holds.",
    )
    test_run: bool = Field(
        default=False,
        description="Check the mapping and report the renames, send nothing to the platform.",
    )

    def mapping_path(self, data_root: Path, key: str) -> Path | None:
        if self.mapping_file:
            return Path(self.mapping_file)
        dropped = dropped_mapping_file(data_root, key)
        # A file seen by the sensor must still be there: gone is an error, not "no file".
        return dropped if dropped.exists() or self.mapping_sha256 else None
