"""Which BPMN elements the engine runs today.

Validation rejects anything outside these sets at deployment, so a model never deploys and then
stalls on an element the engine cannot execute. The engine widens them as it learns new elements.
"""

from __future__ import annotations

from .model import ElementKind, EventType

#: a supported element: (kind, event type) for events, (kind, None) for activities and gateways
SupportKey = tuple[ElementKind, EventType | None]

SUPPORTED: frozenset[SupportKey] = frozenset(
    {
        (ElementKind.START_EVENT, EventType.NONE),
        (ElementKind.END_EVENT, EventType.NONE),
        (ElementKind.END_EVENT, EventType.TERMINATE),
        (ElementKind.INTERMEDIATE_THROW_EVENT, EventType.NONE),
        (ElementKind.SERVICE_TASK, None),
        (ElementKind.SEND_TASK, None),
        (ElementKind.BUSINESS_RULE_TASK, None),
        (ElementKind.SCRIPT_TASK, None),
        (ElementKind.USER_TASK, None),
        (ElementKind.RECEIVE_TASK, None),
        (ElementKind.MANUAL_TASK, None),
        (ElementKind.TASK, None),
        (ElementKind.EXCLUSIVE_GATEWAY, None),
        (ElementKind.PARALLEL_GATEWAY, None),
        (ElementKind.INCLUSIVE_GATEWAY, None),
        (ElementKind.SUB_PROCESS, None),
        (ElementKind.CALL_ACTIVITY, None),
        # errors, escalations and links
        (ElementKind.BOUNDARY_EVENT, EventType.ERROR),
        (ElementKind.BOUNDARY_EVENT, EventType.ESCALATION),
        (ElementKind.START_EVENT, EventType.ERROR),
        (ElementKind.START_EVENT, EventType.ESCALATION),
        (ElementKind.END_EVENT, EventType.ERROR),
        (ElementKind.END_EVENT, EventType.ESCALATION),
        (ElementKind.INTERMEDIATE_THROW_EVENT, EventType.ESCALATION),
        (ElementKind.INTERMEDIATE_THROW_EVENT, EventType.LINK),
        (ElementKind.INTERMEDIATE_CATCH_EVENT, EventType.LINK),
    }
)

#: the activity kinds that may carry multi-instance loop characteristics
SUPPORTED_LOOPS: frozenset[ElementKind] = frozenset(
    {
        ElementKind.SERVICE_TASK,
        ElementKind.SEND_TASK,
        ElementKind.BUSINESS_RULE_TASK,
        ElementKind.SCRIPT_TASK,
        ElementKind.USER_TASK,
        ElementKind.RECEIVE_TASK,
        ElementKind.MANUAL_TASK,
        ElementKind.TASK,
        ElementKind.SUB_PROCESS,
        ElementKind.CALL_ACTIVITY,
    }
)


def support_key(kind: ElementKind, event_type: EventType | None) -> SupportKey:
    """The key under which an element is looked up in `SUPPORTED`."""
    return (kind, event_type if kind.is_event else None)
