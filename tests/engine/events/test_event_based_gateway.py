"""Event-based gateway: the first of its events to happen decides the path; the others'
waits close. Also message throw events, which Zeebe runs as job workers."""

from __future__ import annotations

from datetime import timedelta

import pytest

from flowwire.engine import DeploymentRejected, Engine, ManualClock, NotFound

from ..diagrams import chain, definitions, end, flow, process, service_task, start
from ..support import completed, one_job, state
from .event_diagrams import catch, event_gateway, message, message_throw, signal


def _race() -> str:
    return definitions(
        message("Paid", "payment received"),
        signal("Cancel", "cancel all"),
        process(
            "order",
            start(),
            event_gateway("which"),
            catch("paid", "message", "Paid", outputs=[("=amount", "paidAmount")]),
            catch("timeout", "timer", "PT1H"),
            catch("cancelled", "signal", "Cancel"),
            end("end_paid"),
            end("end_timeout"),
            end("end_cancelled"),
            flow("start", "which"),
            chain("which", "paid", "end_paid"),
            chain("which", "timeout", "end_timeout"),
            chain("which", "cancelled", "end_cancelled"),
        ),
    )


def test_a_message_wins_the_race(engine: Engine, clock: ManualClock) -> None:
    engine.deploy(_race())
    instance = engine.create_instance("order", {"orderId": "A-1"})
    assert len(engine.subscriptions(instance.key)) == 2
    assert len(engine.timers(instance.key)) == 1

    engine.publish_message("payment received", "A-1", {"amount": 5})

    assert state(engine, instance.key) == "COMPLETED"
    assert completed(engine, instance.key) == ["start", "which", "paid", "end_paid"]
    assert engine.variables(instance.key) == {"orderId": "A-1", "paidAmount": 5}
    assert engine.subscriptions(instance.key) == []
    assert engine.timers(instance.key) == []
    [selected] = [e for e in engine.history(instance.key) if e.transition == "EVENT_SELECTED"]
    assert selected.details is not None and selected.details["catch"] == "paid"
    clock.advance(timedelta(hours=2))
    assert engine.fire_due_timers() == 0


def test_the_timer_wins_the_race(engine: Engine) -> None:
    engine.deploy(_race())
    instance = engine.create_instance("order", {"orderId": "A-1"})
    engine.advance_clock(timedelta(hours=1))
    assert completed(engine, instance.key) == ["start", "which", "timeout", "end_timeout"]
    with pytest.raises(NotFound):
        engine.correlate_message("payment received", "A-1")


def test_a_signal_wins_the_race(engine: Engine) -> None:
    engine.deploy(_race())
    instance = engine.create_instance("order", {"orderId": "A-1"})
    engine.broadcast_signal("cancel all")
    assert completed(engine, instance.key)[-2:] == ["cancelled", "end_cancelled"]


def test_a_buffered_message_decides_at_once(engine: Engine) -> None:
    engine.deploy(_race())
    engine.publish_message("payment received", "A-1", {"amount": 1}, time_to_live=60_000)
    instance = engine.create_instance("order", {"orderId": "A-1"})
    assert completed(engine, instance.key) == ["start", "which", "paid", "end_paid"]


def test_message_throw_and_end_events_are_job_workers(engine: Engine) -> None:
    engine.deploy(
        definitions(
            message("Note", "note"),
            process(
                "p",
                start(),
                message_throw("send", "Note", "send-note"),
                message_throw("send_end", "Note", "send-final", end=True),
                chain("start", "send", "send_end"),
            ),
        )
    )
    instance = engine.create_instance("p")
    engine.complete_job(one_job(engine, "send-note").key)
    engine.complete_job(one_job(engine, "send-final").key)
    assert state(engine, instance.key) == "COMPLETED"


def test_an_event_based_gateway_must_lead_to_catch_events(engine: Engine) -> None:
    with pytest.raises(DeploymentRejected) as rejected:
        engine.deploy(
            definitions(
                message("Paid", "payment received"),
                process(
                    "order",
                    start(),
                    event_gateway("which"),
                    catch("paid", "message", "Paid"),
                    service_task("work", "work"),
                    end("e1"),
                    end("e2"),
                    flow("start", "which"),
                    chain("which", "paid", "e1"),
                    chain("which", "work", "e2"),
                ),
            )
        )
    [problem] = rejected.value.problems
    assert "which-work" in problem and "only lead to intermediate" in problem


def test_an_event_based_gateway_needs_two_events(engine: Engine) -> None:
    with pytest.raises(DeploymentRejected, match="at least two"):
        engine.deploy(
            definitions(
                process(
                    "p",
                    start(),
                    event_gateway("which"),
                    catch("later", "timer", "PT1M"),
                    end(),
                    flow("start", "which"),
                    chain("which", "later", "end"),
                )
            )
        )


def test_a_retried_gateway_opens_each_wait_once(engine: Engine) -> None:
    """The second event's key fails on the first attempt; the retry must not leave the
    first event's subscription open twice."""
    engine.deploy(
        definitions(
            message("Paid", "payment received"),
            message("Refund", "refund requested", "=refundId"),
            process(
                "order",
                start(),
                event_gateway("which"),
                catch("paid", "message", "Paid"),
                catch("refund", "message", "Refund"),
                end("e1"),
                end("e2"),
                flow("start", "which"),
                chain("which", "paid", "e1"),
                chain("which", "refund", "e2"),
            ),
        )
    )
    instance = engine.create_instance("order", {"orderId": "A-1"})
    [incident] = engine.incidents(instance_key=instance.key)
    assert incident.element_id == "which"
    engine.set_variables(instance.key, {"refundId": "R-1"})
    engine.resolve_incident(incident.key)
    assert sorted(s.name for s in engine.subscriptions(instance.key)) == [
        "payment received",
        "refund requested",
    ]
    engine.publish_message("refund requested", "R-1")
    assert completed(engine, instance.key)[-2:] == ["refund", "e2"]
