"""Terminate end event: ends every other token in its flow scope; the scope then completes.

In the process scope that completes the process instance; inside an embedded subprocess only
that subprocess's content is terminated and the subprocess completes normally (Camunda 8).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from flowwire.bpmn import Element
from flowwire.engine.behaviors.base import Behavior
from flowwire.engine.models import DeployedProcess
from flowwire.store.records import ElementInstanceRecord

if TYPE_CHECKING:
    from flowwire.engine.flow import Context


class TerminateEndEventBehavior(Behavior):
    def execute(
        self,
        ctx: Context,
        deployed: DeployedProcess,
        element: Element,
        record: ElementInstanceRecord,
    ) -> None:
        assert record.scope_key is not None
        scope = ctx.element(record.scope_key)
        assert scope is not None
        ctx.clear_scope(scope, keep=record.key)
        ctx.complete(record)
