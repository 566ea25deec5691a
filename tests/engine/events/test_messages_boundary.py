"""Message boundary events and message event subprocesses, interrupting and not."""

from __future__ import annotations

from datetime import timedelta

from flowwire.engine import Engine

from ..diagrams import (
    chain,
    definitions,
    end,
    flow,
    process,
    service_task,
    start,
    sub_process,
    user_task,
)
from ..support import active, completed, one_job, state, user_task_key
from .event_diagrams import boundary, event_subprocess, message, receive_task, start_event


def _task_with_boundary(*, interrupting: bool) -> str:
    return definitions(
        message("Cancel", "order cancelled"),
        process(
            "order",
            start(),
            service_task("work", "work"),
            end(),
            boundary(
                "cancelled",
                "work",
                "message",
                "Cancel",
                interrupting=interrupting,
                outputs=[("=reason", "cancelReason")],
            ),
            user_task("handle"),
            end("end_cancelled"),
            chain("start", "work", "end"),
            chain("cancelled", "handle", "end_cancelled"),
        ),
    )


def test_an_interrupting_message_boundary_event_cancels_the_task(engine: Engine) -> None:
    engine.deploy(_task_with_boundary(interrupting=True))
    instance = engine.create_instance("order", {"orderId": "A-1"})
    engine.publish_message("order cancelled", "A-1", {"reason": "customer"})
    assert active(engine, instance.key) == ["handle"]
    assert engine.jobs(instance_key=instance.key) == []
    assert engine.variables(instance.key)["cancelReason"] == "customer"
    assert engine.subscriptions(instance.key) == []
    [fired] = [
        e
        for e in engine.history(instance.key)
        if e.element_id == "cancelled" and e.transition == "ACTIVATED"
    ]
    assert fired.details is not None
    assert fired.details["interrupting"] is True
    assert fired.details["event"] == "message"
    assert fired.details["correlation_key"] == "A-1"


def test_a_non_interrupting_message_boundary_event_lets_the_task_run(engine: Engine) -> None:
    engine.deploy(_task_with_boundary(interrupting=False))
    instance = engine.create_instance("order", {"orderId": "A-1"})
    engine.publish_message("order cancelled", "A-1", {"reason": "first"})
    engine.publish_message("order cancelled", "A-1", {"reason": "second"})
    assert active(engine, instance.key) == ["handle", "handle", "work"]
    engine.complete_job(one_job(engine).key)
    assert active(engine, instance.key) == ["handle", "handle"]
    # the task is done: its boundary subscription is closed
    assert engine.subscriptions(instance.key) == []
    for element in engine.element_instances(instance.key):
        if element.element_id == "handle" and element.state == "ACTIVE":
            engine.complete_user_task(element.key)
    assert state(engine, instance.key) == "COMPLETED"


def test_the_boundary_subscription_closes_when_the_task_completes(engine: Engine) -> None:
    engine.deploy(_task_with_boundary(interrupting=True))
    instance = engine.create_instance("order", {"orderId": "A-1"})
    assert [s.element_id for s in engine.subscriptions(instance.key)] == ["cancelled"]
    engine.complete_job(one_job(engine).key)
    assert state(engine, instance.key) == "COMPLETED"
    assert engine.subscriptions(instance.key) == []


def test_a_buffered_message_fires_a_boundary_event_when_the_task_starts(engine: Engine) -> None:
    engine.deploy(_task_with_boundary(interrupting=True))
    engine.publish_message(
        "order cancelled", "A-1", {"reason": "early"}, time_to_live=timedelta(minutes=1)
    )
    instance = engine.create_instance("order", {"orderId": "A-1"})
    assert active(engine, instance.key) == ["handle"]
    assert engine.jobs(instance_key=instance.key) == []


def _with_event_subprocess(*, interrupting: bool) -> str:
    return definitions(
        message("Update", "order updated"),
        process(
            "order",
            start(),
            user_task("review"),
            end(),
            chain("start", "review", "end"),
            event_subprocess(
                "on_update",
                start_event(
                    "updated",
                    "message",
                    "Update",
                    interrupting=interrupting,
                    outputs=[("=change", "lastChange")],
                ),
                service_task("apply", "apply"),
                end("update_done"),
                flow("updated", "apply"),
                flow("apply", "update_done"),
            ),
        ),
    )


def test_an_interrupting_message_event_subprocess_replaces_the_process_work(
    engine: Engine,
) -> None:
    engine.deploy(_with_event_subprocess(interrupting=True))
    instance = engine.create_instance("order", {"orderId": "A-1"})
    engine.publish_message("order updated", "A-1", {"change": "address"})
    assert active(engine, instance.key) == ["apply", "on_update"]
    assert engine.variables(instance.key)["lastChange"] == "address"
    # interrupted: no second update starts another event subprocess
    engine.publish_message("order updated", "A-1", {"change": "again"})
    assert active(engine, instance.key) == ["apply", "on_update"]
    engine.complete_job(one_job(engine, "apply").key)
    assert state(engine, instance.key) == "COMPLETED"
    assert "review" not in completed(engine, instance.key)


def test_a_non_interrupting_message_event_subprocess_runs_beside(engine: Engine) -> None:
    engine.deploy(_with_event_subprocess(interrupting=False))
    instance = engine.create_instance("order", {"orderId": "A-1"})
    engine.publish_message("order updated", "A-1", {"change": "one"})
    engine.publish_message("order updated", "A-1", {"change": "two"})
    assert active(engine, instance.key) == ["apply", "apply", "on_update", "on_update", "review"]
    for job in engine.activate_jobs("apply", "w"):
        engine.complete_job(job.key)
    engine.complete_user_task(user_task_key(engine, instance.key, "review"))
    assert state(engine, instance.key) == "COMPLETED"
    assert engine.subscriptions(instance.key) == []


def test_a_message_event_subprocess_inside_a_subprocess(engine: Engine) -> None:
    engine.deploy(
        definitions(
            message("Update", "order updated"),
            process(
                "order",
                start(),
                sub_process(
                    "handling",
                    start("inner_start"),
                    user_task("review"),
                    end("inner_end"),
                    chain("inner_start", "review", "inner_end"),
                    event_subprocess(
                        "on_update",
                        start_event("updated", "message", "Update"),
                        end("update_done"),
                        flow("updated", "update_done"),
                    ),
                ),
                end(),
                chain("start", "handling", "end"),
            ),
        )
    )
    instance = engine.create_instance("order", {"orderId": "A-1"})
    [subscription] = engine.subscriptions(instance.key)
    assert subscription.element_id == "updated"
    engine.publish_message("order updated", "A-1")
    assert state(engine, instance.key) == "COMPLETED"
    assert completed(engine, instance.key)[-4:] == ["update_done", "on_update", "handling", "end"]


def test_a_receive_task_with_a_message_boundary_event(engine: Engine) -> None:
    engine.deploy(
        definitions(
            message("Paid", "payment received"),
            message("Cancel", "order cancelled"),
            process(
                "order",
                start(),
                receive_task("receive", "Paid"),
                end(),
                boundary("cancelled", "receive", "message", "Cancel"),
                end("end_cancelled"),
                chain("start", "receive", "end"),
                flow("cancelled", "end_cancelled"),
            ),
        )
    )
    instance = engine.create_instance("order", {"orderId": "A-1"})
    assert sorted(s.name for s in engine.subscriptions(instance.key)) == [
        "order cancelled",
        "payment received",
    ]
    engine.publish_message("order cancelled", "A-1")
    assert completed(engine, instance.key)[-2:] == ["cancelled", "end_cancelled"]
    assert engine.subscriptions(instance.key) == []
