"""User task: a wait state that a person completes through the API (`complete_user_task`).

Assignment and schedule attributes are kept on the element instance (FEEL ones evaluated on
activation) so task lists can show them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from flowwire.bpmn import Element
from flowwire.bpmn.expressions import expression_body, is_expression
from flowwire.engine import expressions
from flowwire.engine.behaviors.base import Behavior
from flowwire.engine.incidents import ErrorType, StepFailure
from flowwire.engine.models import DeployedProcess
from flowwire.engine.values import NotJsonError, encode
from flowwire.store.records import ElementInstanceRecord

if TYPE_CHECKING:
    from flowwire.engine.flow import Context

_ATTRIBUTES = (
    "assignee",
    "candidate_groups",
    "candidate_users",
    "due_date",
    "follow_up_date",
    "form_key",
    "form_id",
)


class UserTaskBehavior(Behavior):
    def execute(
        self,
        ctx: Context,
        deployed: DeployedProcess,
        element: Element,
        record: ElementInstanceRecord,
    ) -> None:
        details: dict[str, object] = {}
        definition = element.user_task
        if definition is not None:
            for name in _ATTRIBUTES:
                text = getattr(definition, name)
                if text is None:
                    continue
                if is_expression(text):
                    value, _ = expressions.evaluate(
                        text,
                        ctx.variables.visible(record),
                        ctx.clock,
                        ErrorType.EXTRACT_VALUE_ERROR,
                    )
                    try:
                        details[name] = encode(value)[0]
                    except NotJsonError as exc:
                        raise StepFailure(
                            ErrorType.EXTRACT_VALUE_ERROR,
                            f"the user task attribute {name} '{text}' gave no storable value: {exc}",
                        ) from None
                elif name.startswith("candidate_"):
                    details[name] = [part.strip() for part in text.split(",") if part.strip()]
                else:
                    details[name] = expression_body(text)
        record.data["user_task"] = details
        ctx.wait(record)
