"""Link events: a link throw event sends its token to the link catch event of the same name in
the same scope (validation checks that it exists), like an invisible sequence flow. The catch
event itself passes the token on (it is registered as a pass-through element)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flowwire.bpmn import Element
from flowwire.engine.behaviors.base import Behavior
from flowwire.engine.models import DeployedProcess
from flowwire.store.records import ElementInstanceRecord

if TYPE_CHECKING:
    from flowwire.engine.flow import Context


class LinkThrowBehavior(Behavior):
    def complete(
        self,
        ctx: Context,
        deployed: DeployedProcess,
        element: Element,
        record: ElementInstanceRecord,
    ) -> None:
        if element.outputs:
            ctx.variables.apply_outputs(record, element.outputs)
        assert element.event is not None and element.event.link_name is not None
        target = deployed.process.links(element.scope_id)[element.event.link_name]
        scope = ctx.element(record.scope_key) if record.scope_key is not None else None
        assert scope is not None
        ctx.start_token(deployed, scope, target)  # before leaving, so the scope keeps a token
        ctx.record(record, "LINK_THROWN", {"link": element.event.link_name, "target": target.id})
        ctx.leave(deployed, record, ())
