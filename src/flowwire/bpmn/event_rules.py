"""Which event definitions Zeebe accepts where: timer kinds per position, interrupting error
events, the start events a process may have at its top level.

A model that Camunda 8 refuses to deploy is refused here too, with the element and what to
change, so a process that deploys on flowwire also deploys on a cluster.
"""

from __future__ import annotations

from .model import Element, ElementKind, EventType, Process
from .report import Report

#: the event types a start event may have at the top level of a process
_TOP_LEVEL_STARTS = frozenset(
    {EventType.NONE, EventType.MESSAGE, EventType.TIMER, EventType.SIGNAL}
)

_TIMER_WORDS = {"date": "a time date", "duration": "a time duration", "cycle": "a time cycle"}


def check_event_rules(process: Process, element: Element, report: Report) -> None:
    """Add the problems of one element's event definition to `report`."""
    event_type = element.event_type
    if event_type is None:
        return
    kind = element.kind
    if kind is ElementKind.START_EVENT:
        _check_start(process, element, event_type, report)
    elif kind is ElementKind.BOUNDARY_EVENT:
        if event_type is EventType.ERROR and not element.cancel_activity:
            report.add(
                element.id,
                "the error boundary event is non-interrupting, but an error always interrupts "
                "its activity: make it interrupting (cancelActivity true)",
                element.line,
            )
        if event_type is EventType.TIMER and element.cancel_activity:
            _timer_kinds(
                element, ("duration", "date"), "an interrupting timer boundary event", report
            )
    elif kind is ElementKind.INTERMEDIATE_CATCH_EVENT and event_type is EventType.TIMER:
        _timer_kinds(element, ("duration", "date"), "an intermediate timer catch event", report)


def _check_start(process: Process, element: Element, event_type: EventType, report: Report) -> None:
    if element.scope_id == process.id:
        if event_type not in _TOP_LEVEL_STARTS:
            report.add(
                element.id,
                f"a process cannot start with {_article(event_type.value)} {event_type.value} "
                "start event: use a none, "
                f"message, timer or signal start event, or put this {event_type.value} start "
                "event into an event subprocess",
                element.line,
            )
        elif event_type is EventType.TIMER:
            _timer_kinds(element, ("date", "cycle"), "a timer start event", report)
        return
    scope = process.elements.get(element.scope_id)
    if scope is None or not scope.triggered_by_event:
        return  # embedded subprocesses' starts are checked with the subprocess
    if event_type is EventType.ERROR and not element.cancel_activity:
        report.add(
            element.id,
            "the error start event of the event subprocess is non-interrupting, but an error "
            "always interrupts its scope: make it interrupting (isInterrupting true)",
            element.line,
        )


def _timer_kinds(element: Element, allowed: tuple[str, ...], what: str, report: Report) -> None:
    event = element.event
    kind = event.timer_kind if event is not None else None
    if kind is None or kind in allowed:
        return
    report.add(
        element.id,
        f"{what} takes {' or '.join(_TIMER_WORDS[k] for k in allowed)}, not "
        f"{_TIMER_WORDS.get(kind, kind)}: change the timer definition",
        element.line,
    )


def _article(word: str) -> str:
    return "an" if word[:1] in "aeiou" else "a"
