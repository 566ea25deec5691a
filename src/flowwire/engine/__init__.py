"""The process engine: Camunda 8 BPMN instances as a state machine over a durable store.

from flowwire.engine import Engine, ManualClock
from flowwire.store import open_store

engine = Engine(open_store("flowwire.db"))
engine.deploy("order.bpmn")
engine.create_instance("order", {"orderId": "A-1"})
"""

from flowwire.engine.clock import Clock, ManualClock, SystemClock
from flowwire.engine.engine import IN_PROCESS_WORKER, Engine, JobHandler
from flowwire.engine.errors import (
    DeploymentRejected,
    EngineError,
    InvalidArgument,
    InvalidState,
    NotFound,
    ThrowBpmnError,
)
from flowwire.engine.event_api import CorrelatedMessage, SubscriptionInfo, TimerInfo
from flowwire.engine.results import (
    ActivatedJob,
    Deployment,
    ElementInstanceInfo,
    HistoryEntry,
    IncidentInfo,
    InstanceInfo,
    InstanceResult,
    JobInfo,
    ProcessDefinition,
)

__all__ = [
    "IN_PROCESS_WORKER",
    "ActivatedJob",
    "Clock",
    "CorrelatedMessage",
    "Deployment",
    "DeploymentRejected",
    "ElementInstanceInfo",
    "Engine",
    "EngineError",
    "HistoryEntry",
    "IncidentInfo",
    "InstanceInfo",
    "InstanceResult",
    "InvalidArgument",
    "InvalidState",
    "JobHandler",
    "JobInfo",
    "ManualClock",
    "NotFound",
    "ProcessDefinition",
    "SubscriptionInfo",
    "SystemClock",
    "ThrowBpmnError",
    "TimerInfo",
]
