"""A PowerSchool SIS simulator on loopback HTTP, built from the API notes, for tests and demos.

with PowerSchoolSimulator({"students": frame}) as sim:
    httpx.post(f"{sim.url}/oauth/access_token", ...)
"""

from .faults import PowerSchoolFaults
from .plugin_grants import PluginRejected
from .simulator import PowerSchoolSimulator

__all__ = ["PluginRejected", "PowerSchoolFaults", "PowerSchoolSimulator"]
