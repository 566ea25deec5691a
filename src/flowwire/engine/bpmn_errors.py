"""Throwing BPMN errors and escalations: from a job worker (`throw error`), an error end event,
or an escalation throw/end event.

A thrown error goes to the nearest matching catch (`event_triggers.find_catch`): an error
boundary event on the thrower or an enclosing subprocess / call activity, or an error event
subprocess of an enclosing scope, walking outwards across call activities into the calling
instance. Error catches always interrupt. When nothing catches it, the thrower gets an
UNHANDLED_ERROR_EVENT incident, as in Zeebe.

An escalation is caught the same way, interrupting or not as the catch event says; an uncaught
escalation is no incident: the thrower just goes on (Camunda 8).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from flowwire.bpmn import EventType
from flowwire.engine.event_triggers import (
    Catch,
    find_catch,
    trigger_boundary_event,
    trigger_event_subprocess,
)
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
    """Throw error `error_code` from the element instance `source`; an incident on `source`
    when nothing catches it."""
    if catch_error(ctx, source, error_code, error_message, variables):
        return
    create_incident(
        ctx,
        source,
        ErrorType.UNHANDLED_ERROR_EVENT,
        unhandled_error_message(source, error_code, error_message),
        job_key=job_key,
    )


def catch_error(
    ctx: Context,
    source: ElementInstanceRecord,
    error_code: str,
    error_message: str,
    variables: Mapping[str, Any],
) -> bool:
    """Hand the error to its nearest matching catch event; False when there is none. The
    catch event's output mappings see the error's variables plus `errorCode` and
    `errorMessage`."""
    catch = find_catch(ctx, source, EventType.ERROR, error_code)
    if catch is None:
        return False
    details = {"error_code": error_code, "error_message": error_message, "thrown_by": source.key}
    extra = {"errorCode": error_code, "errorMessage": error_message}
    _fire(ctx, catch, variables, extra, details)
    return True


def unhandled_error_message(
    source: ElementInstanceRecord, error_code: str, error_message: str
) -> str:
    text = (
        f"An error was thrown with the code '{error_code}' but not caught: no error catch event "
        f"in the scope of '{source.element_id}' or above matches it. Add an error boundary "
        "event or error event subprocess with this code (or without a code, to catch all)."
    )
    if error_message:
        text += f" Error message: {error_message}"
    return text


def throw_escalation(
    ctx: Context,
    source: ElementInstanceRecord,
    escalation_code: str,
    variables: Mapping[str, Any],
) -> bool:
    """Throw escalation `escalation_code` from `source`. Returns True when a catch event took
    it; uncaught escalations only leave a trace in the history."""
    catch = find_catch(ctx, source, EventType.ESCALATION, escalation_code)
    if catch is None:
        ctx.record(source, "ESCALATION_NOT_CAUGHT", {"escalation_code": escalation_code})
        return False
    details = {"escalation_code": escalation_code, "thrown_by": source.key}
    _fire(ctx, catch, variables, {"escalationCode": escalation_code}, details)
    return True


def _fire(
    ctx: Context,
    catch: Catch,
    variables: Mapping[str, Any],
    mapping_only: Mapping[str, Any],
    details: Mapping[str, Any],
) -> None:
    if catch.is_boundary:
        trigger_boundary_event(
            ctx, catch.host, catch.element, variables, mapping_only=mapping_only, details=details
        )
    else:
        trigger_event_subprocess(
            ctx, catch.host, catch.element, variables, mapping_only=mapping_only, details=details
        )
