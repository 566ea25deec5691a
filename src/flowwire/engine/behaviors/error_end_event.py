"""Error end event: throws its error (code static or "=FEEL") to the nearest matching catch.

The end event's local variables (its input mappings' results) travel with the error to the
catch event. Nothing catching it is an UNHANDLED_ERROR_EVENT incident on the end event;
resolving the incident throws the error again (after the model or variables were fixed).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from flowwire.bpmn import Element
from flowwire.engine import expressions
from flowwire.engine.behaviors.base import Behavior
from flowwire.engine.bpmn_errors import catch_error, unhandled_error_message
from flowwire.engine.incidents import ErrorType, StepFailure
from flowwire.engine.models import DeployedProcess
from flowwire.store.records import ElementInstanceRecord

if TYPE_CHECKING:
    from flowwire.engine.flow import Context


class ErrorEndEventBehavior(Behavior):
    def execute(
        self,
        ctx: Context,
        deployed: DeployedProcess,
        element: Element,
        record: ElementInstanceRecord,
    ) -> None:
        code = thrown_code(ctx, element, record)
        variables = dict(ctx.variables.local(record.key))
        ctx.record(record, "ERROR_THROWN", {"error_code": code})
        if not catch_error(ctx, record, code, "", variables):
            raise StepFailure(
                ErrorType.UNHANDLED_ERROR_EVENT, unhandled_error_message(record, code, "")
            )


def thrown_code(ctx: Context, element: Element, record: ElementInstanceRecord) -> str:
    """The error or escalation code a throw event throws (evaluated when it is FEEL)."""
    event = element.event
    assert event is not None
    text = event.error_code if event.error_code is not None else event.escalation_code
    if not text:
        raise StepFailure(
            ErrorType.EXTRACT_VALUE_ERROR,
            f"the throw event '{element.id}' has no code: reference an error or escalation "
            "that has a code",
        )
    return str(
        expressions.static_or_evaluated(
            text, lambda: ctx.variables.visible(record), ctx.clock, "STRING"
        )
    )
