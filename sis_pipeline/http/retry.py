"""One retry policy for both APIs: bounded attempts, capped exponential backoff, Retry-After.

Both PowerSchool and the platform answer 429 with `Retry-After` and may fail with 5xx or time
out; the platform requires clients to keep retrying writes (same key and body) for at least a
minute. The policy retries only what is safe to retry and gives up in bounded time.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass

import httpx

RETRYABLE_STATUS = frozenset({429, 500, 502, 503, 504})
# Failures on the way that a second try may not meet.
TRANSIENT = (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError)
# Requests that can never be sent as they are. httpx's messages for these quote what it
# refused, header values included (a token ending in a newline): only the type is kept.
UNSENDABLE = (httpx.HTTPError, httpx.InvalidURL, httpx.CookieConflict, UnicodeEncodeError)


class ApiError(Exception):
    """An API call failed for good. The message is one line, with no secret in it."""


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 8
    base_delay: float = 0.5
    max_delay: float = 20.0
    max_total_seconds: float = 120.0

    def delay(self, attempt: int, response: httpx.Response | None) -> float:
        retry_after = _retry_after(response)
        backoff = min(self.max_delay, self.base_delay * 2 ** (attempt - 1))
        # Jitter spreads schools that fail together; Retry-After is a floor, never shortened.
        backoff *= 0.5 + random.random() / 2
        return max(backoff, retry_after) if retry_after is not None else backoff


def send_with_retries(
    send: Callable[[], httpx.Response],
    policy: RetryPolicy,
    what: str,
    also_retry: Callable[[httpx.Response], str | None] = lambda response: None,
    error: type[ApiError] = ApiError,
) -> httpx.Response:
    """Call `send` until it answers for good; raise `error` once the budget is spent.

    Every failure becomes `error` with a message in our words (what, the status or the kind
    of failure), never httpx's text, and without httpx's exception attached.
    """
    started = time.monotonic()
    attempt = 0
    while True:
        attempt += 1
        response: httpx.Response | None = None
        unsendable = None
        try:
            response = send()
        except TRANSIENT as failure:
            problem = type(failure).__name__
        except UNSENDABLE as failure:
            unsendable = type(failure).__name__
        else:
            problem = (
                f"HTTP {response.status_code}"
                if response.status_code in RETRYABLE_STATUS
                else also_retry(response)
            )
            if problem is None:
                return response
        if unsendable is not None:
            # Raised outside the except clause, so httpx's exception is not its context.
            raise error(f"{what}: the request could not be sent ({unsendable})")
        wait = policy.delay(attempt, response)
        spent = time.monotonic() - started
        if attempt >= policy.max_attempts or spent + wait > policy.max_total_seconds:
            raise error(f"{what}: gave up after {attempt} attempts ({problem})")
        time.sleep(wait)


def _retry_after(response: httpx.Response | None) -> float | None:
    if response is None:
        return None
    value = response.headers.get("Retry-After", "").strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        return None
