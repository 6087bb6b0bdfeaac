"""Read a school's reconciliation mapping file (docs/sync-rules.md, "Reconciliation mapping file").

A CSV whose header names `old_host_id` and `new_host_id`. Other columns are allowed and
ignored, so the proposals file the reconciliation writes (which adds member type, tier and
evidence) can be reviewed, edited and sent back as it is. Blank lines (also rows of empty
cells, as spreadsheets save them) and spaces around values are ignored; a UTF-8 BOM is
accepted.

A file that cannot be read as such a CSV raises `MappingFileError`, one line naming the file
and the problem, and never quoting the file's content. A row with a bad value is not a file
error: the reconciliation rejects it with its reason and applies the other rows.
"""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass
from pathlib import Path

COLUMNS = ("old_host_id", "new_host_id")


@dataclass(frozen=True)
class MappingRow:
    line: int  # the row's line in the file, counting the header as line 1
    old_host_id: str
    new_host_id: str


class MappingFileError(ValueError):
    """The mapping file cannot be read; `str()` is one line naming the file."""


def read_mapping_file(path: Path, expected_sha256: str = "") -> list[MappingRow]:
    """The file's rows; with `expected_sha256`, only if its bytes are still the ones that were
    checked or seen (by the command line or the sensor) when the run was asked for."""
    data = read_mapping_bytes(path)
    if expected_sha256 and (found := mapping_digest(data)) != expected_sha256:
        raise MappingFileError(
            f"{path}: changed since the run was requested (sha256 {found[:12]}, expected "
            f"{expected_sha256[:12]}); nothing applied, its new content gets a run of its own"
        )
    return parse_mapping(data, str(path))


def mapping_digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_mapping_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise MappingFileError(f"{path}: mapping file not found") from None
    except IsADirectoryError:
        raise MappingFileError(f"{path}: is a folder, not a mapping file") from None
    except OSError as error:
        raise MappingFileError(f"{path}: cannot read the mapping file ({error.strerror})") from None


def parse_mapping(data: bytes, name: str) -> list[MappingRow]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise MappingFileError(f"{name}: not UTF-8 text (byte {error.start + 1})") from None
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    positions: tuple[int, int] | None = None
    width = 0
    rows: list[MappingRow] = []
    try:
        for record in reader:
            cells = [cell.strip() for cell in record]
            if not any(cells):
                continue
            if positions is None:
                positions = _header(cells, name, reader.line_num)
                width = len(cells)
                continue
            # Spreadsheets pad rows with empty cells; only cells with a value must fit.
            if any(cells[width:]):
                raise MappingFileError(
                    f"{name}: line {reader.line_num}: {len(cells)} values where the header "
                    f"has {width} columns"
                )
            old, new = (cells[i] if i < len(cells) else "" for i in positions)
            rows.append(MappingRow(reader.line_num, old, new))
    except csv.Error as error:
        raise MappingFileError(f"{name}: line {reader.line_num}: not valid CSV ({error})") from None
    if positions is None:
        raise MappingFileError(f"{name}: empty; the first line must be old_host_id,new_host_id")
    return rows


def _header(cells: list[str], name: str, line: int) -> tuple[int, int]:
    names = [cell.lower() for cell in cells]
    if any(names.count(column) != 1 for column in COLUMNS):
        raise MappingFileError(
            f"{name}: line {line}: the header must name old_host_id and new_host_id once each"
        )
    return names.index(COLUMNS[0]), names.index(COLUMNS[1])
