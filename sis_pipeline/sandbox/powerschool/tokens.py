"""OAuth access tokens: one live token per plugin, handed out again until it dies.

PowerSchool appears to return the existing token with its remaining lifetime on repeated
token requests (the recorded `expires_in` of 2,504,956 s is below the 30-day default), so a
token request only mints a new token once the current one has expired.
"""

from __future__ import annotations

import math
import threading
import time
import uuid
from dataclasses import dataclass

from .errors import invalid_token


@dataclass
class _Token:
    value: str
    expires_at: float
    uses: int = 0
    killed: bool = False


class TokenStore:
    def __init__(self, lifetime_seconds: int) -> None:
        self._lifetime = lifetime_seconds
        self._lock = threading.Lock()
        self._current: _Token | None = None
        self._known: dict[str, _Token] = {}

    def _alive(self, token: _Token, now: float) -> bool:
        return not token.killed and now < token.expires_at

    def issue(self) -> tuple[str, int]:
        """The live token and its remaining whole seconds, minting one when none is live."""
        with self._lock:
            now = time.monotonic()
            if self._current is None or not self._alive(self._current, now):
                self._current = _Token(str(uuid.uuid4()), now + self._lifetime)
                self._known[self._current.value] = self._current
            return self._current.value, math.ceil(self._current.expires_at - now)

    def use(self, value: str, max_uses: int | None) -> None:
        """Count one authenticated request on the token, or raise the 401 PowerSchool sends."""
        with self._lock:
            token = self._known.get(value)
            if token is None:
                raise invalid_token(expired=False)
            if max_uses is not None and token.uses >= max_uses:
                token.killed = True
            if not self._alive(token, time.monotonic()):
                raise invalid_token(expired=True)
            token.uses += 1
