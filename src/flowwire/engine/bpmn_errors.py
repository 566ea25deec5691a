"""Throwing BPMN errors (from a job worker today; from error end events later).

A thrown error looks for the nearest matching catch: an error boundary event on the thrower or
an enclosing subprocess / call activity, or an error event subprocess, walking outwards across
call activities. This engine version runs no error catch events yet (the BPMN events feature
adds them here), so every thrown error is unhandled: the thrower gets an UNHANDLED_ERROR_EVENT
incident, as in Zeebe when nothing catches.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from flowwire.engine.incidents import ErrorType, create_incident
from flowwire.store.records import ElementInstanceRecord

if TYPE_CHECKING:
    from flowwire.engine.flow import Context


def throw_bpmn_error(
    ctx: Context,
    source: ElementInstanceRecord,
    error_code: str,
    error_message: str,
    variables: Mapping[str, Any],
    job_key: int | None = None,
) -> None:
    """Throw error `error_code` from the element instance `source`."""
    text = (
        f"An error was thrown with the code '{error_code}' but not caught: no error catch event "
        f"in the scope of '{source.element_id}' or above matches it."
    )
    if error_message:
        text += f" Error message: {error_message}"
    create_incident(ctx, source, ErrorType.UNHANDLED_ERROR_EVENT, text, job_key=job_key)
