"""Testing BPMN processes with pytest: an in-process engine, a movable clock, Python workers.

Opt in from a ``conftest.py`` (the plugin is not registered automatically)::

    pytest_plugins = ["flowwire.testing"]

then ask for the ``flowwire_engine`` fixture (an `EngineHarness`)::

    def test_greets(flowwire_engine):
        flowwire_engine.deploy("examples/hello.bpmn")
        instance = flowwire_engine.start("hello", {"name": "Ada"})
        flowwire_engine.assert_completed(instance)
        flowwire_engine.assert_variables(instance, {"greeting": "Hello, Ada!"})

Outside pytest, ``with engine_harness() as harness:`` gives the same harness on an in-memory store.
"""

from flowwire.testing.assertions import (
    assert_completed,
    assert_incident,
    assert_passed,
    assert_variables,
    completed_elements,
    describe_instance,
)
from flowwire.testing.fixtures import flowwire_clock, flowwire_engine
from flowwire.testing.harness import DEFAULT_START, EngineHarness, engine_harness

__all__ = [
    "DEFAULT_START",
    "EngineHarness",
    "assert_completed",
    "assert_incident",
    "assert_passed",
    "assert_variables",
    "completed_elements",
    "describe_instance",
    "engine_harness",
    "flowwire_clock",
    "flowwire_engine",
]
