"""Reference implementation of the target platform's roster API (v1), for the demo and tests.

Built from the platform's API document alone, never from our own platform client, so that
the client's mistakes show up against it instead of being shared. It is a real HTTP server
on loopback with fault knobs (rate limits, 5xx, lost answers) to exercise a client's retries.
"""

from sis_pipeline.sandbox.platform.faults import PlatformFaults
from sis_pipeline.sandbox.platform.server import PlatformServer

__all__ = ["PlatformFaults", "PlatformServer"]
