"""The activation lifecycle: deploying activates, new versions replace, ids are unique unless
deduplicated, bad configuration fails the deployment, restarts keep webhooks."""

from __future__ import annotations

import pytest

from flowwire.connectors.inbound import InboundManager
from flowwire.connectors.secrets import MappingSecretProvider, SecretResolver
from flowwire.engine import DeploymentRejected, Engine
from flowwire.server import create_app

from .conftest import TestClient
from .models import receive_task_process, start_process, webhook_properties


def test_new_version_replaces_the_old_start_webhook(engine, inbound, serve):
    inbound.deploy(start_process("docs", webhook_properties("v1-hook", resultExpression="={v: 1}")))
    inbound.deploy(start_process("docs", webhook_properties("v2-hook", resultExpression="={v: 2}")))
    client = serve()

    assert client.post("/inbound/v1-hook", json={}).status_code == 404
    assert client.post("/inbound/v2-hook", json={}).status_code == 200
    [instance] = engine.instances()
    assert instance.version == 2
    assert engine.variables(instance.key) == {"v": 2}


def test_new_version_with_the_same_id_starts_the_latest_version(engine, inbound, serve):
    inbound.deploy(start_process("docs", webhook_properties("docs", resultExpression="={v: 1}")))
    inbound.deploy(start_process("docs", webhook_properties("docs", resultExpression="={v: 2}")))
    client = serve()
    assert client.post("/inbound/docs", json={}).status_code == 200
    [instance] = engine.instances()
    assert (instance.version, engine.variables(instance.key)) == (2, {"v": 2})
    [listed] = client.get("/inbound").json()
    assert [e["version"] for e in listed["elements"]] == [2]


def test_redeploying_identical_xml_keeps_one_activation(inbound, serve):
    xml = start_process("docs", webhook_properties("docs"))
    inbound.deploy(xml)
    inbound.deploy(xml)
    [listed] = serve().get("/inbound").json()
    assert len(listed["elements"]) == 1


def test_webhook_id_used_by_another_process_is_a_deployment_error_naming_both(engine, inbound):
    inbound.deploy(
        start_process("first", webhook_properties("shared", activationCondition="=true"))
    )
    with pytest.raises(DeploymentRejected) as caught:
        inbound.deploy(start_process("second", webhook_properties("shared")))
    message = str(caught.value)
    assert "webhook id 'shared'" in message
    assert "process 'second'" in message and "process 'first'" in message
    assert [d.process_id for d in engine.definitions()] == ["first"]


def test_identical_properties_share_an_id(engine, inbound, serve):
    properties = webhook_properties("shared", resultExpression="={n: request.body.n}")
    inbound.deploy(start_process("first", properties))
    inbound.deploy(start_process("second", properties))
    client = serve()
    [listed] = client.get("/inbound").json()
    assert [e["processId"] for e in listed["elements"]] == ["first", "second"]
    assert client.post("/inbound/shared", json={"n": 1}).status_code == 200
    assert [i.process_id for i in engine.instances()] == ["first"]


def test_manual_deduplication_id_lets_activation_conditions_choose(engine, inbound, serve):
    def hook(kind: str) -> dict[str, str]:
        return webhook_properties(
            "events",
            deduplicationModeManualFlag="true",
            deduplicationId="events-hook",
            activationCondition=f'=request.body.kind = "{kind}"',
        )

    inbound.deploy(start_process("orders", hook("order")))
    inbound.deploy(start_process("refunds", hook("refund")))
    client = serve()

    assert client.post("/inbound/events", json={"kind": "refund"}).status_code == 200
    assert client.post("/inbound/events", json={"kind": "order"}).status_code == 200
    assert client.post("/inbound/events", json={"kind": "other"}).status_code == 422
    assert sorted(i.process_id for i in engine.instances()) == ["orders", "refunds"]


@pytest.mark.parametrize(
    ("extra", "property_name"),
    [
        ({"activationCondition": "=request.body.status = "}, "activationCondition"),
        ({"inbound.auth.type": "OAUTH"}, "inbound.auth.type"),
        ({"inbound.context": "no spaces allowed"}, "inbound.context"),
        ({"inbound.method": "patch"}, "inbound.method"),
        ({"inbound.shouldValidateHmac": "enabled"}, "inbound.hmacSecret"),
        ({"inbound.auth.type": "JWT"}, "inbound.auth.jwt.jwkUrl"),
    ],
)
def test_invalid_configuration_is_a_deployment_error_naming_element_and_property(
    engine, inbound, extra, property_name
):
    properties = {**webhook_properties("docs"), **extra}
    with pytest.raises(DeploymentRejected) as caught:
        inbound.deploy(start_process("docs", properties))
    message = str(caught.value)
    assert "element 'webhook_start'" in message
    assert f"property '{property_name}'" in message
    assert engine.definitions() == []


def test_unsupported_inbound_type_is_a_deployment_error(engine, inbound):
    properties = {**webhook_properties("docs"), "inbound.type": "io.camunda:sqs:1"}
    with pytest.raises(DeploymentRejected, match=r"io\.camunda:sqs:1"):
        inbound.deploy(start_process("docs", properties))


def test_restart_restores_active_webhooks_from_the_store(tmp_path):
    from flowwire.store import open_store

    path = str(tmp_path / "restart.db")
    first = Engine(open_store(path))
    InboundManager(first, secrets=SecretResolver([])).deploy(
        start_process("docs", webhook_properties("docs", resultExpression="={n: request.body.n}"))
    )
    first.close()

    engine = Engine(open_store(path))
    try:
        app = create_app(engine, run_connectors=False, secrets=SecretResolver([]))
        with TestClient(app) as client:
            assert client.post("/inbound/docs", json={"n": 5}).status_code == 200
        [instance] = engine.instances()
        assert engine.variables(instance.key) == {"n": 5}
    finally:
        engine.close()


def test_missing_secret_makes_the_webhook_not_ready_503(engine, serve):
    manager = InboundManager(engine, secrets=SecretResolver([MappingSecretProvider({})]))
    properties = webhook_properties(
        "basic",
        inbound__auth__type="BASIC",
        inbound__auth__username="u",
        inbound__auth__password="{{secrets.NOT_SET}}",
    )
    manager.deploy(start_process("basic", properties))
    app = create_app(engine, inbound=manager, run_connectors=False, restore=False)
    with TestClient(app) as client:
        response = client.post("/inbound/basic", json={})
        assert response.status_code == 503
        assert "NOT_SET" in response.json()["error"]
        [listed] = client.get("/inbound").json()
        assert listed["health"]["status"] == "DOWN"
    assert engine.instances() == []


def test_receive_task_webhook_is_activated_for_message_correlation(engine, inbound, serve):
    properties = webhook_properties(
        "payments",
        correlationKeyExpression="=request.body.orderId",
        messageIdExpression="=request.body.paymentId",
    )
    inbound.deploy(receive_task_process("payment", properties, "payment-received"))
    [listed] = serve().get("/inbound").json()
    assert listed["elements"][0]["elementType"] == "receiveTask"
    expected = "UP" if hasattr(engine, "publish_message") else "DOWN"
    assert listed["health"]["status"] == expected


def test_a_rest_api_deployment_with_a_clashing_webhook_is_rejected_and_stores_nothing(
    engine, inbound, serve
):
    inbound.deploy(
        start_process("first", webhook_properties("shared", activationCondition="=true"))
    )
    client = serve()
    xml = start_process("second", webhook_properties("shared"))
    answer = client.post(
        "/v2/deployments", files={"resources": ("second.bpmn", xml, "application/xml")}
    )
    assert answer.status_code == 400
    assert answer.headers["content-type"].startswith("application/problem+json")
    detail = answer.text
    assert "webhook id 'shared'" in detail
    assert "process 'first'" in detail and "process 'second'" in detail
    assert [d.process_id for d in engine.definitions()] == ["first"]


def test_a_rest_api_deployment_activates_its_webhook_at_once(engine, serve):
    client = serve()
    xml = start_process("docs", webhook_properties("docs-hook", resultExpression="={v: 1}"))
    answer = client.post(
        "/v2/deployments", files={"resources": ("docs.bpmn", xml, "application/xml")}
    )
    assert answer.status_code == 200, answer.text
    assert client.post("/inbound/docs-hook", json={}).status_code == 200
    [instance] = engine.instances()
    assert engine.variables(instance.key) == {"v": 1}
