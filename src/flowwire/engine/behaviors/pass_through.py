"""Elements that do no work of their own: none start and intermediate throw events, none end
events, manual tasks and undefined tasks (`bpmn:task`). They apply their variable mappings and
pass the token on (an end event has no outgoing flows, so its path ends)."""

from __future__ import annotations

from flowwire.engine.behaviors.base import Behavior


class PassThroughBehavior(Behavior):
    """Enter, apply mappings, leave through every outgoing flow."""
