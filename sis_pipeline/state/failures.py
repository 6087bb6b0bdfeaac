"""Why a step failed, in one line: the error at the bottom of Dagster's and dlt's wrappers."""

from __future__ import annotations

from dagster_shared.error import SerializableErrorInfo


def root_cause(error: SerializableErrorInfo | None) -> SerializableErrorInfo | None:
    """The error that says what went wrong; Dagster and dlt wrap it in their own errors.

    An error raised inside a generator carries dlt's StopIteration as its implicit context:
    that is where it was raised, not why, so the walk stops before it.
    """
    while error is not None:
        context = error.context
        if context is not None and context.cls_name in ("StopIteration", "GeneratorExit"):
            context = None
        if (error.cause or context) is None:
            return error
        error = error.cause or context
    return error


def failure_line(step_key: str, error: SerializableErrorInfo | None) -> str:
    """`<step>: <first line of the root cause>`, without the exception's class name."""
    cause = root_cause(error)
    message = cause.message.strip().splitlines()[0] if cause and cause.message.strip() else ""
    return f"{step_key}: {message.split(': ', 1)[-1] if message else 'step failed'}"


class RowsRefused(Exception):
    """Raised by a step after it recorded its result, to fail the run: some of its rows were
    refused, and which ones is already in the step's metadata, checks and report."""


def failed_check(error: SerializableErrorInfo | None) -> bool:
    """The step failed because a blocking asset check failed (refused operations) or its rows
    were refused: what went wrong is in its results and the run's counts, not in this error."""
    cause = root_cause(error)
    return cause is not None and cause.cls_name in (
        "DagsterAssetCheckFailedError",
        RowsRefused.__name__,
    )
