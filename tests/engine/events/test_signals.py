"""Signals: start, intermediate catch, boundary, event subprocess, intermediate throw and end
events; broadcast through the API reaches every subscription at once."""

from __future__ import annotations

import pytest

from flowwire.engine import Engine, InvalidArgument

from ..diagrams import chain, definitions, end, flow, process, service_task, start, user_task
from ..support import active, completed, state
from .event_diagrams import boundary, catch, event_subprocess, signal, signal_throw, start_event


def _waiting() -> str:
    return definitions(
        signal("Go", "go"),
        process("wait", start(), catch("go", "signal", "Go"), end(), chain("start", "go", "end")),
    )


def test_a_broadcast_reaches_every_waiting_instance(engine: Engine) -> None:
    engine.deploy(_waiting())
    first = engine.create_instance("wait")
    second = engine.create_instance("wait")
    engine.broadcast_signal("go", {"when": "now"})
    for instance in (first, second):
        assert state(engine, instance.key) == "COMPLETED"
        assert engine.variables(instance.key) == {"when": "now"}
    [entry] = [e for e in engine.history(first.key) if e.transition == "SIGNAL_RECEIVED"]
    assert entry.details is not None and entry.details["name"] == "go"


def test_a_signal_is_not_buffered(engine: Engine) -> None:
    engine.deploy(_waiting())
    engine.broadcast_signal("go")
    instance = engine.create_instance("wait")
    assert active(engine, instance.key) == ["go"]
    engine.broadcast_signal("stop")
    assert active(engine, instance.key) == ["go"]


def test_a_signal_start_event_creates_an_instance(engine: Engine) -> None:
    engine.deploy(
        definitions(
            signal("Go", "go"),
            process("started", start_event("s", "signal", "Go"), user_task("t"), chain("s", "t")),
        )
    )
    engine.broadcast_signal("go", {"a": 1})
    engine.broadcast_signal("go", {"a": 2})
    instances = engine.instances(process_id="started")
    assert sorted(engine.variables(i.key)["a"] for i in instances) == [1, 2]


def test_signal_boundary_events_interrupting_and_not(engine: Engine) -> None:
    engine.deploy(
        definitions(
            signal("Stop", "stop"),
            signal("Ping", "ping"),
            process(
                "p",
                start(),
                user_task("work"),
                end(),
                boundary("stopped", "work", "signal", "Stop"),
                boundary("pinged", "work", "signal", "Ping", interrupting=False),
                end("end_stopped"),
                end("end_pinged"),
                chain("start", "work", "end"),
                flow("stopped", "end_stopped"),
                flow("pinged", "end_pinged"),
            ),
        )
    )
    instance = engine.create_instance("p")
    engine.broadcast_signal("ping")
    assert active(engine, instance.key) == ["work"]
    engine.broadcast_signal("stop")
    assert state(engine, instance.key) == "COMPLETED"
    assert completed(engine, instance.key)[-4:] == [
        "pinged",
        "end_pinged",
        "stopped",
        "end_stopped",
    ]


def test_a_signal_event_subprocess(engine: Engine) -> None:
    engine.deploy(
        definitions(
            signal("Abort", "abort"),
            process(
                "p",
                start(),
                user_task("work"),
                end(),
                chain("start", "work", "end"),
                event_subprocess(
                    "on_abort",
                    start_event("aborted", "signal", "Abort"),
                    end("abort_done"),
                    flow("aborted", "abort_done"),
                ),
            ),
        )
    )
    instance = engine.create_instance("p")
    engine.broadcast_signal("abort")
    assert state(engine, instance.key) == "COMPLETED"
    assert "work" not in completed(engine, instance.key)


def test_throw_and_end_events_broadcast_to_other_instances(engine: Engine) -> None:
    engine.deploy(
        definitions(
            signal("Go", "go"),
            signal("Done", "done"),
            process(
                "wait", start(), catch("go", "signal", "Go"), end(), chain("start", "go", "end")
            ),
            process(
                "thrower",
                start("t_start"),
                signal_throw("throw_go", "Go", inputs=[("=42", "answer")]),
                signal_throw("throw_done", "Done", end=True),
                chain("t_start", "throw_go", "throw_done"),
            ),
            process(
                "listener",
                start_event("on_done", "signal", "Done"),
                end("l_end"),
                flow("on_done", "l_end"),
            ),
        )
    )
    waiting = engine.create_instance("wait")
    thrower = engine.create_instance("thrower")
    assert state(engine, thrower.key) == "COMPLETED"
    assert state(engine, waiting.key) == "COMPLETED"
    assert engine.variables(waiting.key) == {"answer": 42}
    [listener] = engine.instances(process_id="listener")
    assert listener.state == "COMPLETED"


def test_a_signal_needs_a_name(engine: Engine) -> None:
    with pytest.raises(InvalidArgument, match="name"):
        engine.broadcast_signal("")


def test_a_service_task_is_not_a_signal_catcher(engine: Engine) -> None:
    """A broadcast with no subscriptions at all is fine and changes nothing."""
    engine.deploy(
        definitions(
            process("p", start(), service_task("t", "t"), end(), chain("start", "t", "end"))
        )
    )
    instance = engine.create_instance("p")
    engine.broadcast_signal("anything")
    assert active(engine, instance.key) == ["t"]
