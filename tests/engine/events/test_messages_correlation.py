"""Messages: subscriptions of catch events and receive tasks, publish and correlate,
correlation keys, one subscription per instance, every waiting instance."""

from __future__ import annotations

import pytest

from flowwire.engine import Engine, InvalidArgument, NotFound

from ..diagrams import chain, definitions, end, process, start
from ..support import active, completed, state
from .event_diagrams import catch, message, receive_task


def _waiting(element: str = "wait", key: str = "=orderId", outputs=()) -> str:
    return definitions(
        message("Paid", "payment received", key),
        process(
            "order",
            start(),
            catch(element, "message", "Paid", outputs=outputs),
            end(),
            chain("start", element, "end"),
        ),
    )


def test_a_catch_event_waits_for_its_message_and_takes_its_variables(engine: Engine) -> None:
    engine.deploy(_waiting())
    instance = engine.create_instance("order", {"orderId": "A-1"})
    assert active(engine, instance.key) == ["wait"]
    [subscription] = engine.subscriptions(instance.key)
    assert (subscription.name, subscription.correlation_key) == ("payment received", "A-1")

    engine.publish_message("payment received", "A-1", {"amount": 12.5})

    assert state(engine, instance.key) == "COMPLETED"
    assert engine.variables(instance.key) == {"orderId": "A-1", "amount": 12.5}
    assert engine.subscriptions(instance.key) == []


def test_a_message_with_another_key_or_name_does_not_correlate(engine: Engine) -> None:
    engine.deploy(_waiting())
    instance = engine.create_instance("order", {"orderId": "A-1"})
    engine.publish_message("payment received", "B-2")
    engine.publish_message("payment refused", "A-1")
    assert active(engine, instance.key) == ["wait"]


def test_a_numeric_correlation_key_matches_its_text(engine: Engine) -> None:
    engine.deploy(_waiting())
    instance = engine.create_instance("order", {"orderId": 42})
    assert engine.subscriptions(instance.key)[0].correlation_key == "42"
    engine.publish_message("payment received", 42)
    assert state(engine, instance.key) == "COMPLETED"


def test_a_correlation_key_that_is_not_text_or_number_is_an_incident(engine: Engine) -> None:
    engine.deploy(_waiting())
    instance = engine.create_instance("order", {"orderId": {"id": 1}})
    [incident] = engine.incidents(instance_key=instance.key)
    assert incident.error_type == "EXTRACT_VALUE_ERROR"
    assert incident.element_id == "wait"
    assert "string or a number" in incident.message and "OBJECT" in incident.message

    engine.set_variables(instance.key, {"orderId": "A-1"})
    engine.resolve_incident(incident.key)
    engine.publish_message("payment received", "A-1")
    assert state(engine, instance.key) == "COMPLETED"


def test_output_mappings_decide_what_the_message_leaves_behind(engine: Engine) -> None:
    engine.deploy(_waiting(outputs=[("=amount * 2", "doubled")]))
    instance = engine.create_instance("order", {"orderId": "A-1"})
    engine.publish_message("payment received", "A-1", {"amount": 2, "noise": True})
    assert engine.variables(instance.key) == {"orderId": "A-1", "doubled": 4}


def test_a_receive_task_waits_for_its_message(engine: Engine) -> None:
    engine.deploy(
        definitions(
            message("Paid", "payment received"),
            process(
                "order",
                start(),
                receive_task("receive", "Paid"),
                end(),
                chain("start", "receive", "end"),
            ),
        )
    )
    instance = engine.create_instance("order", {"orderId": "A-1"})
    assert active(engine, instance.key) == ["receive"]
    engine.correlate_message("payment received", "A-1", {"paid": True})
    assert state(engine, instance.key) == "COMPLETED"
    assert engine.variables(instance.key)["paid"] is True


def test_a_message_reaches_every_waiting_instance_once(engine: Engine) -> None:
    engine.deploy(_waiting())
    first = engine.create_instance("order", {"orderId": "A-1"})
    second = engine.create_instance("order", {"orderId": "A-1"})
    other = engine.create_instance("order", {"orderId": "B-2"})
    engine.publish_message("payment received", "A-1")
    assert state(engine, first.key) == "COMPLETED"
    assert state(engine, second.key) == "COMPLETED"
    assert state(engine, other.key) == "ACTIVE"


def test_a_message_correlates_to_one_subscription_per_instance(engine: Engine) -> None:
    """Two catch events waiting for the same message in one instance: the first gets it."""
    engine.deploy(
        definitions(
            message("Paid", "payment received"),
            process(
                "order",
                start(),
                '<bpmn:parallelGateway id="fork" />',
                catch("first", "message", "Paid"),
                catch("second", "message", "Paid"),
                end("end1"),
                end("end2"),
                chain("start", "fork"),
                chain("fork", "first", "end1"),
                chain("fork", "second", "end2"),
            ),
        )
    )
    instance = engine.create_instance("order", {"orderId": "A-1"})
    assert active(engine, instance.key) == ["first", "second"]
    engine.publish_message("payment received", "A-1")
    assert active(engine, instance.key) == ["second"]
    engine.publish_message("payment received", "A-1")
    assert state(engine, instance.key) == "COMPLETED"


def test_the_history_says_which_message_was_correlated(engine: Engine) -> None:
    engine.deploy(_waiting())
    instance = engine.create_instance("order", {"orderId": "A-1"})
    key = engine.publish_message("payment received", "A-1")
    [entry] = [e for e in engine.history(instance.key) if e.transition == "MESSAGE_CORRELATED"]
    assert entry.element_id == "wait"
    assert entry.details == {
        "event": "message",
        "message_key": key,
        "name": "payment received",
        "correlation_key": "A-1",
    }
    assert completed(engine, instance.key) == ["start", "wait", "end"]


def test_correlate_finds_nothing_waiting(engine: Engine) -> None:
    engine.deploy(_waiting())
    engine.create_instance("order", {"orderId": "A-1"})
    with pytest.raises(NotFound, match="no process instance waits"):
        engine.correlate_message("payment received", "nobody")


def test_correlate_answers_the_instance_it_reached(engine: Engine) -> None:
    engine.deploy(_waiting())
    instance = engine.create_instance("order", {"orderId": "A-1"})
    result = engine.correlate_message("payment received", "A-1")
    assert result.process_instance_key == instance.key
    assert result.process_instance_keys == (instance.key,)


def test_a_message_for_no_subscription_is_dropped_without_time_to_live(engine: Engine) -> None:
    engine.deploy(_waiting())
    engine.publish_message("payment received", "A-1")
    instance = engine.create_instance("order", {"orderId": "A-1"})
    assert active(engine, instance.key) == ["wait"]


def test_publishing_checks_its_arguments(engine: Engine) -> None:
    with pytest.raises(InvalidArgument, match="name"):
        engine.publish_message("", "A-1")
    with pytest.raises(InvalidArgument, match="string or a number"):
        engine.publish_message("m", ["A"])  # type: ignore[arg-type]
    with pytest.raises(InvalidArgument, match="negative"):
        engine.publish_message("m", "A", time_to_live=-1)


def test_cancelling_an_instance_closes_its_subscriptions(engine: Engine) -> None:
    engine.deploy(_waiting())
    instance = engine.create_instance("order", {"orderId": "A-1"})
    engine.cancel_instance(instance.key)
    assert engine.subscriptions(instance.key) == []
    with pytest.raises(NotFound):
        engine.correlate_message("payment received", "A-1")


def test_a_message_name_may_be_a_feel_expression(engine: Engine) -> None:
    engine.deploy(
        definitions(
            message("Dynamic", '=topic + " received"'),
            process(
                "order",
                start(),
                catch("wait", "message", "Dynamic"),
                end(),
                chain("start", "wait", "end"),
            ),
        )
    )
    instance = engine.create_instance("order", {"orderId": "A-1", "topic": "invoice"})
    assert engine.subscriptions(instance.key)[0].name == "invoice received"
    engine.publish_message("invoice received", "A-1")
    assert state(engine, instance.key) == "COMPLETED"
