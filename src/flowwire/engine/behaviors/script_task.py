"""Script task with `zeebe:script`: the FEEL expression is evaluated inline and its result is
stored in `resultVariable` (propagated, or local when output mappings decide what leaves)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flowwire.bpmn import Element
from flowwire.engine import expressions
from flowwire.engine.behaviors.base import Behavior, merge_result
from flowwire.engine.incidents import ErrorType, StepFailure
from flowwire.engine.models import DeployedProcess
from flowwire.engine.values import NotJsonError, encode
from flowwire.store.records import ElementInstanceRecord

if TYPE_CHECKING:
    from flowwire.engine.flow import Context


class ScriptTaskBehavior(Behavior):
    def execute(
        self,
        ctx: Context,
        deployed: DeployedProcess,
        element: Element,
        record: ElementInstanceRecord,
    ) -> None:
        script = element.script
        if script is None:
            raise StepFailure(
                ErrorType.EXTRACT_VALUE_ERROR,
                f"the script task '{element.id}' has neither a zeebe:script expression nor a "
                "task definition: add one of them in the model",
            )
        value, warnings = expressions.evaluate(
            script.expression,
            ctx.variables.visible(record),
            ctx.clock,
            ErrorType.EXTRACT_VALUE_ERROR,
        )
        if script.result_variable:
            try:
                encode(value)
            except NotJsonError as exc:
                raise StepFailure(
                    ErrorType.EXTRACT_VALUE_ERROR,
                    f"the result of the script '{script.expression}' cannot be stored in "
                    f"'{script.result_variable}': {exc}.{expressions.warnings_text(warnings)}",
                ) from None
            merge_result(ctx, element, record, {script.result_variable: value})
        ctx.complete(record)
