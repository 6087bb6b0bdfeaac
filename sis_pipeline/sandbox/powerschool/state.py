"""What the simulator's request handlers share: data, grants, faults, tokens, settings."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .faults import FaultCounter, PowerSchoolFaults
from .plugin_grants import PluginGrants
from .table_snapshot import TableSnapshot
from .tokens import TokenStore

JSON_TYPE = "application/json;charset=UTF-8"


@dataclass
class Reply:
    status: int
    body: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class SimulatorState:
    # Handlers read each attribute once per request; swapping one is an atomic assignment.
    snapshot: TableSnapshot
    grants: PluginGrants
    faults: PowerSchoolFaults
    tokens: TokenStore
    client_id: str
    client_secret: str
    max_page_size: int
    counter: FaultCounter = field(default_factory=FaultCounter)
    internal_errors: list[str] = field(default_factory=list)
