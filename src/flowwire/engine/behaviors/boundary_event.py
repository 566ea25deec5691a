"""Boundary events: an element instance of one is only ever created by
`event_triggers.trigger_boundary_event`, which has already terminated the attached activity
(interrupting) or left it running (non-interrupting) and handed over the trigger's variables.
Activated, it applies its output mappings and leaves through every outgoing flow. A token never
arrives at a boundary event along a sequence flow (validation forbids incoming flows)."""

from __future__ import annotations

from flowwire.engine.behaviors.base import Behavior


class BoundaryEventBehavior(Behavior):
    """Apply the event's mappings and leave through every outgoing flow."""
