"""Multi-instance activities that wait for messages and timers: each inner instance opens its
own waits, while boundary events wait once, on the body."""

from __future__ import annotations

from datetime import timedelta

from flowwire.engine import Engine

from ..diagrams import chain, definitions, end, flow, process, service_task, start, sub_process
from ..support import completed, state
from .event_diagrams import boundary, catch, event_subprocess, message, receive_task, start_event
from .mi_diagrams import multi


def test_each_receive_task_iteration_waits_for_its_own_message(engine: Engine) -> None:
    engine.deploy(
        definitions(
            message("Message_paid", "paid", key="=item"),
            process(
                "p",
                start(),
                multi(
                    receive_task("wait", "Message_paid"),
                    "=orders",
                    "item",
                    output_collection="amounts",
                    output_element="=amount",
                ),
                end(),
                chain("start", "wait", "end"),
            ),
        )
    )
    instance = engine.create_instance("p", {"orders": ["o-1", "o-2", "o-3"]})
    keys = sorted(s.correlation_key for s in engine.subscriptions(instance.key))
    assert keys == ["o-1", "o-2", "o-3"]
    for key, amount in (("o-3", 30), ("o-1", 10), ("o-2", 20)):
        engine.publish_message("paid", key, {"amount": amount})
    assert state(engine, instance.key) == "COMPLETED"
    assert engine.variables(instance.key)["amounts"] == [10, 20, 30]


def test_a_message_boundary_on_the_body_waits_once_and_interrupts_every_iteration(
    engine: Engine,
) -> None:
    engine.deploy(
        definitions(
            message("Message_cancel", "cancel", key="=orderId"),
            process(
                "p",
                start(),
                multi(
                    service_task("task", "work"),
                    "=items",
                    "item",
                    output_collection="results",
                    output_element="=result",
                ),
                end(),
                boundary("on_cancel", "task", "message", "Message_cancel"),
                end("cancelled"),
                chain("start", "task", "end"),
                flow("on_cancel", "cancelled"),
            ),
        )
    )
    instance = engine.create_instance("p", {"orderId": "A", "items": [1, 2, 3]})
    assert len(engine.subscriptions(instance.key)) == 1
    [first, *_] = engine.activate_jobs("work", "w")
    engine.complete_job(first.key, {"result": "done"})
    engine.publish_message("cancel", "A")
    assert state(engine, instance.key) == "COMPLETED"
    assert completed(engine, instance.key)[-2:] == ["on_cancel", "cancelled"]
    assert "results" not in engine.variables(instance.key)
    assert engine.activate_jobs("work", "w") == []
    assert engine.subscriptions(instance.key) == []


def test_a_non_interrupting_timer_boundary_on_the_body_keeps_the_iterations(
    engine: Engine,
) -> None:
    engine.deploy(
        definitions(
            process(
                "p",
                start(),
                multi(service_task("task", "work"), "=[1, 2]", "item", sequential=True),
                end(),
                boundary("remind", "task", "timer", "PT1H", interrupting=False),
                end("reminded"),
                chain("start", "task", "end"),
                flow("remind", "reminded"),
            )
        )
    )
    instance = engine.create_instance("p")
    assert len(engine.timers(instance.key)) == 1
    engine.advance_clock(timedelta(hours=1))
    assert "reminded" in completed(engine, instance.key)
    for _ in range(2):
        [job] = engine.activate_jobs("work", "w")
        engine.complete_job(job.key)
    assert state(engine, instance.key) == "COMPLETED"
    assert engine.timers(instance.key) == []


def test_an_event_subprocess_inside_a_multi_instance_subprocess_runs_per_iteration(
    engine: Engine,
) -> None:
    engine.deploy(
        definitions(
            message("Message_note", "note", key="=item"),
            process(
                "p",
                start(),
                multi(
                    sub_process(
                        "each",
                        start("s_start"),
                        service_task("work", "work"),
                        end("s_end"),
                        chain("s_start", "work", "s_end"),
                        event_subprocess(
                            "on_note",
                            start_event(
                                "note_start", "message", "Message_note", interrupting=False
                            ),
                            catch("noted", "timer", "PT0S"),
                            end("note_end"),
                            chain("note_start", "noted", "note_end"),
                        ),
                    ),
                    '=["a", "b"]',
                    "item",
                ),
                end(),
                chain("start", "each", "end"),
            ),
        )
    )
    instance = engine.create_instance("p")
    assert engine.incidents(instance_key=instance.key) == []
    keys = sorted(s.correlation_key for s in engine.subscriptions(instance.key))
    assert keys == ["a", "b"]
    engine.publish_message("note", "b")
    engine.advance_clock(timedelta(seconds=1))
    assert completed(engine, instance.key).count("note_end") == 1
    for job in engine.activate_jobs("work", "w"):
        engine.complete_job(job.key)
    assert state(engine, instance.key) == "COMPLETED"
