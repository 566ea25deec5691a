"""Access to the sample models and to the lines of their XML, for assertions."""

from __future__ import annotations

from pathlib import Path

from flowwire.bpmn import ElementKind, EventType

MODELS = Path(__file__).parent / "models"

#: every (kind, event type) pair, to read models beyond what the engine runs today
EVERYTHING = frozenset(
    (kind, event_type if kind.is_event else None)
    for kind in ElementKind
    for event_type in EventType
)
ALL_LOOPS = frozenset(ElementKind)


def model_text(name: str) -> str:
    return (MODELS / name).read_text(encoding="utf-8")


def model_bytes(name: str) -> bytes:
    return (MODELS / name).read_bytes()


def line_containing(text: str, needle: str) -> int:
    """The 1-based line of the only line of `text` that contains `needle`."""
    lines = [number for number, line in enumerate(text.splitlines(), 1) if needle in line]
    assert len(lines) == 1, f"{needle!r} is on lines {lines}, expected exactly one"
    return lines[0]


def definitions_xml(process_body: str, *, root_elements: str = "", process_id: str = "p") -> str:
    """A minimal document around one executable process (for small validation cases)."""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" \
xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" \
xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" id="Definitions_1">
  <bpmn:process id="{process_id}" isExecutable="true">
{process_body}
  </bpmn:process>
{root_elements}
</bpmn:definitions>
"""
