"""BPMN 2.0 XML (as Camunda Modeler 5 writes it for Camunda 8) -> immutable, validated model.

`parse` reads and validates a file in one go and raises `BpmnValidationError` listing every
problem; the engine deploys the `Definitions` it returns.
"""

from .errors import BpmnError, BpmnValidationError, Problem
from .expressions import is_expression, static_or_expression
from .model import (
    CalledElement,
    Definitions,
    Element,
    ElementKind,
    EventDefinition,
    EventType,
    IoMapping,
    LoopCharacteristics,
    Process,
    Script,
    SequenceFlow,
    TaskDefinition,
    UserTaskDefinition,
)
from .parser import parse
from .support import SUPPORTED, SUPPORTED_LOOPS
from .xml_loading import DEFAULT_MAX_BYTES

__all__ = [
    "DEFAULT_MAX_BYTES",
    "SUPPORTED",
    "SUPPORTED_LOOPS",
    "BpmnError",
    "BpmnValidationError",
    "CalledElement",
    "Definitions",
    "Element",
    "ElementKind",
    "EventDefinition",
    "EventType",
    "IoMapping",
    "LoopCharacteristics",
    "Problem",
    "Process",
    "Script",
    "SequenceFlow",
    "TaskDefinition",
    "UserTaskDefinition",
    "is_expression",
    "parse",
    "static_or_expression",
]
