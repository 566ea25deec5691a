"""Webhooks on message elements publish a message: intermediate catch, boundary, receive
task and message start events, correlation by key, message ids."""

from __future__ import annotations

from .models import (
    boundary_process,
    catch_event_process,
    message_start_process,
    receive_task_process,
    webhook_properties,
)


def _hook(webhook_id: str, **extra: str) -> dict[str, str]:
    return webhook_properties(
        webhook_id,
        correlationKeyExpression="=request.body.orderId",
        resultExpression="={paid: request.body.amount}",
        **extra,
    )


def test_intermediate_catch_event_correlates_by_key(engine, inbound, serve):
    inbound.deploy(catch_event_process("pay", _hook("payments"), "payment-received"))
    waiting = {o: engine.create_instance("pay", {"orderId": o}).key for o in ("A-1", "A-2")}
    client = serve()

    response = client.post("/inbound/payments", json={"orderId": "A-2", "amount": 30})

    assert response.status_code == 200
    assert engine.get_instance(waiting["A-2"]).state == "COMPLETED"
    assert engine.variables(waiting["A-2"])["paid"] == 30
    assert engine.get_instance(waiting["A-1"]).state == "ACTIVE"


def test_boundary_event_interrupts_the_task_of_the_matching_instance(engine, inbound, serve):
    inbound.deploy(boundary_process("review-order", _hook("cancel-review"), "review-cancelled"))
    instance = engine.create_instance("review-order", {"orderId": "B-7"}).key
    client = serve()

    assert client.post("/inbound/cancel-review", json={"orderId": "B-7"}).status_code == 200

    assert engine.get_instance(instance).state == "COMPLETED"
    ended = [e.element_id for e in engine.history(instance) if e.transition == "COMPLETED"]
    assert "cancelled" in ended and "end" not in ended


def test_receive_task_with_message_id_answers_a_duplicate_with_200(engine, inbound, serve):
    properties = _hook("receipts", messageIdExpression="=request.body.paymentId", messageTtl="PT1H")
    inbound.deploy(receive_task_process("receipt", properties, "receipt-received"))
    client = serve()
    body = {"orderId": "C-1", "paymentId": "pay-1", "amount": 5}

    first = client.post("/inbound/receipts", json=body)
    again = client.post("/inbound/receipts", json=body)

    assert (first.status_code, again.status_code) == (200, 200)
    # buffered for an hour: an instance arriving later still receives the one message
    instance = engine.create_instance("receipt", {"orderId": "C-1"}).key
    assert engine.get_instance(instance).state == "COMPLETED"
    assert engine.variables(instance)["paid"] == 5


def test_response_expression_sees_the_published_message(engine, inbound, serve):
    properties = _hook("replies", inbound__responseExpression="={body: correlation}")
    inbound.deploy(catch_event_process("pay", properties, "payment-received"))
    engine.create_instance("pay", {"orderId": "D-1"})
    response = serve().post("/inbound/replies", json={"orderId": "D-1", "amount": 1})
    assert response.status_code == 200
    assert response.json()["type"] == "MESSAGE_PUBLISHED"
    assert response.json()["messageName"] == "payment-received"
    assert response.json()["correlationKey"] == "D-1"


def test_message_start_event_starts_an_instance(engine, inbound, serve):
    properties = webhook_properties("signup", resultExpression="={email: request.body.email}")
    inbound.deploy(message_start_process("signup", properties, "user-signed-up"))
    response = serve().post("/inbound/signup", json={"email": "ada@example.org"})
    assert response.status_code == 200
    [instance] = engine.instances()
    assert instance.process_id == "signup"
    assert engine.variables(instance.key) == {"email": "ada@example.org"}


def test_versions_deployed_by_other_means_are_picked_up_by_sync(engine, inbound, serve):
    client = serve()
    engine.deploy(catch_event_process("pay", _hook("late"), "payment-received"))
    assert client.post("/inbound/late", json={}).status_code == 404
    assert inbound.sync() == 1
    instance = engine.create_instance("pay", {"orderId": "E-1"}).key
    assert client.post("/inbound/late", json={"orderId": "E-1", "amount": 2}).status_code == 200
    assert engine.get_instance(instance).state == "COMPLETED"
    assert inbound.sync() == 0


def test_after_a_restart_waiting_instances_stay_correlatable(tmp_path):
    from flowwire.connectors.inbound import InboundManager
    from flowwire.connectors.secrets import SecretResolver
    from flowwire.engine import Engine
    from flowwire.server import create_app
    from flowwire.store import open_store

    from .conftest import TestClient

    path = str(tmp_path / "restart.db")
    before = Engine(open_store(path))
    InboundManager(before, secrets=SecretResolver([])).deploy(
        catch_event_process("pay", _hook("payments"), "payment-received")
    )
    instance = before.create_instance("pay", {"orderId": "R-1"}).key
    before.close()

    engine = Engine(open_store(path))
    try:
        app = create_app(engine, run_connectors=False, rest_api=False, secrets=SecretResolver([]))
        with TestClient(app) as client:
            response = client.post("/inbound/payments", json={"orderId": "R-1", "amount": 9})
            assert response.status_code == 200
        assert engine.get_instance(instance).state == "COMPLETED"
        assert engine.variables(instance)["paid"] == 9
    finally:
        engine.close()
