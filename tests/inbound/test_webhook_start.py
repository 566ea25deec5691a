"""A webhook on a start event: requests start instances, and every refusal has its status."""

from __future__ import annotations

import logging

import pytest

from flowwire.connectors.inbound import InboundManager
from flowwire.engine import Engine

from .conftest import BODY_LIMIT
from .models import start_and_wait_process, start_process, webhook_properties


def _only_instance_variables(engine: Engine) -> dict:
    instances = engine.instances()
    assert len(instances) == 1
    return engine.variables(instances[0].key)


def test_seed_doc_example_starts_an_instance_with_mapped_variables(engine, inbound, serve):
    properties = webhook_properties(
        "documents",
        activationCondition='=(request.body.status = "OK")',
        resultExpression="={myDocumentId: request.body.id}",
    )
    inbound.deploy(start_process("docs", properties))
    client = serve()

    response = client.post("/inbound/documents", json={"id": 1, "status": "OK"})

    assert response.status_code == 200
    assert response.content == b""
    [instance] = engine.instances()
    assert instance.process_id == "docs"
    assert instance.state == "COMPLETED"
    assert engine.variables(instance.key) == {"myDocumentId": 1}


def test_activation_condition_false_is_422_and_starts_nothing(engine, inbound, serve, caplog):
    properties = webhook_properties("documents", activationCondition='=request.body.status = "OK"')
    inbound.deploy(start_process("docs", properties))
    client = serve()

    with caplog.at_level(logging.WARNING, logger="flowwire.inbound"):
        response = client.post("/inbound/documents", json={"id": 1, "status": "FAILED"})

    assert response.status_code == 422
    assert response.json()["error"] == "Activation condition not met"
    assert engine.instances() == []
    assert "webhook 'documents' rejected a request with 422" in caplog.text


def test_unmatched_events_are_consumed_with_200_when_configured(engine, inbound, serve):
    properties = webhook_properties(
        "documents",
        activationCondition='=request.body.status = "OK"',
        consumeUnmatchedEvents="true",
    )
    inbound.deploy(start_process("docs", properties))
    client = serve()

    response = client.post("/inbound/documents", json={"status": "FAILED"})

    assert response.status_code == 200
    assert engine.instances() == []


def test_unknown_webhook_id_is_404(serve):
    response = serve().post("/inbound/nobody-here", json={})
    assert response.status_code == 404
    assert "nobody-here" in response.json()["error"]


def test_wrong_method_is_405_with_allow_header(inbound, serve):
    inbound.deploy(start_process("docs", webhook_properties("documents", inbound__method="post")))
    response = serve().get("/inbound/documents")
    assert response.status_code == 405
    assert response.headers["allow"] == "POST"


def test_method_any_accepts_get_with_query_parameters(engine, inbound, serve):
    properties = webhook_properties("ping", resultExpression="={who: request.params.name}")
    inbound.deploy(start_process("ping", properties))
    response = serve().get("/inbound/ping", params={"name": "ada"})
    assert response.status_code == 200
    assert _only_instance_variables(engine) == {"who": "ada"}


def test_malformed_json_is_400(engine, inbound, serve):
    inbound.deploy(start_process("docs", webhook_properties("documents")))
    response = serve().post(
        "/inbound/documents", content=b'{"id": 1,', headers={"content-type": "application/json"}
    )
    assert response.status_code == 400
    assert "not valid JSON" in response.json()["error"]
    assert engine.instances() == []


def test_body_over_the_limit_is_413(engine, inbound, serve):
    inbound.deploy(start_process("docs", webhook_properties("documents")))
    response = serve().post(
        "/inbound/documents",
        content=b"x" * (BODY_LIMIT + 1),
        headers={"content-type": "text/plain"},
    )
    assert response.status_code == 413
    assert engine.instances() == []


def test_feel_failure_in_the_mapping_is_422_with_the_reason(engine, inbound, serve):
    properties = webhook_properties("documents", resultExpression="=request.body.id + 1")
    inbound.deploy(start_process("docs", properties))
    response = serve().post("/inbound/documents", json={"id": "not a number"})
    assert response.status_code == 422
    assert "resultExpression" in response.json()["error"]
    assert engine.instances() == []


def test_activation_condition_that_is_not_boolean_is_422(engine, inbound, serve):
    properties = webhook_properties("documents", activationCondition="=request.body.id")
    inbound.deploy(start_process("docs", properties))
    response = serve().post("/inbound/documents", json={"id": 5})
    assert response.status_code == 422
    assert "true or false" in response.json()["error"]


def test_response_expression_sees_request_and_correlation(engine, inbound, serve):
    properties = webhook_properties(
        "orders",
        resultExpression="={orderId: request.body.orderId}",
        inbound__responseExpression=(
            '={statusCode: 201, headers: {"X-Order": request.body.orderId},'
            " body: {instance: correlation.processInstanceKey, type: correlation.type}}"
        ),
    )
    inbound.deploy(start_and_wait_process("orders", properties))
    response = serve().post("/inbound/orders", json={"orderId": "A-7"})

    assert response.status_code == 201
    assert response.headers["x-order"] == "A-7"
    [instance] = engine.instances()
    assert response.json() == {"instance": instance.key, "type": "PROCESS_INSTANCE_CREATED"}
    assert instance.state == "ACTIVE"


def test_result_variable_holds_the_whole_request(engine, inbound, serve):
    inbound.deploy(start_process("docs", webhook_properties("documents", resultVariable="hook")))
    serve().post("/inbound/documents?page=2", json={"id": 3}, headers={"X-Trace": "abc"})
    hook = _only_instance_variables(engine)["hook"]
    assert hook["request"]["body"] == {"id": 3}
    assert hook["request"]["params"] == {"page": "2"}
    assert hook["request"]["headers"]["x-trace"] == "abc"


@pytest.mark.parametrize(
    ("content", "content_type", "expected"),
    [
        (
            b"a=1&b=two&b=three",
            "application/x-www-form-urlencoded",
            {"a": "1", "b": ["two", "three"]},
        ),
        (b"plain words", "text/plain", "plain words"),
        (b"", "application/json", {}),
        (b'{"nested": {"x": [1, 2]}}', "application/vnd.api+json", {"nested": {"x": [1, 2]}}),
    ],
)
def test_body_is_parsed_by_its_content_type(
    engine, inbound, serve, content, content_type, expected
):
    properties = webhook_properties("documents", resultExpression="={got: request.body}")
    inbound.deploy(start_process("docs", properties))
    response = serve().post(
        "/inbound/documents", content=content, headers={"content-type": content_type}
    )
    assert response.status_code == 200
    assert _only_instance_variables(engine) == {"got": expected}


def test_legacy_property_names_still_work(engine, inbound, serve):
    properties = webhook_properties(
        "legacy",
        inbound__activationCondition="=request.body.ok",
        inbound__variableMapping="={value: request.body.value}",
    )
    inbound.deploy(start_process("legacy", properties))
    client = serve()
    assert client.post("/inbound/legacy", json={"ok": False, "value": 1}).status_code == 422
    assert client.post("/inbound/legacy", json={"ok": True, "value": 2}).status_code == 200
    assert _only_instance_variables(engine) == {"value": 2}


def test_verification_expression_answers_a_handshake_without_starting(engine, inbound, serve):
    properties = webhook_properties(
        "slack",
        inbound__verificationExpression=(
            '=if request.body.type = "url_verification" '
            "then {body: {challenge: request.body.challenge}} else null"
        ),
    )
    inbound.deploy(start_process("slack", properties))
    client = serve()

    handshake = client.post("/inbound/slack", json={"type": "url_verification", "challenge": "c-1"})
    assert handshake.status_code == 200
    assert handshake.json() == {"challenge": "c-1"}
    assert engine.instances() == []

    event = client.post("/inbound/slack", json={"type": "event_callback"})
    assert event.status_code == 200
    assert len(engine.instances()) == 1


def test_too_many_waiting_requests_are_429(engine, serve, inbound: InboundManager):
    inbound.deploy(start_process("docs", webhook_properties("documents")))
    inbound.max_pending = 0
    response = serve().post("/inbound/documents", json={})
    assert response.status_code == 429
    assert response.headers["retry-after"] == "1"
    assert engine.instances() == []


def test_health_and_listing(inbound, serve):
    inbound.deploy(start_process("docs", webhook_properties("documents", inbound__method="post")))
    client = serve()
    assert client.get("/health").json() == {"status": "UP", "live": True, "ready": True}
    assert client.get("/health/ready").status_code == 200
    [listed] = client.get("/inbound").json()
    assert listed["webhookId"] == "documents"
    assert listed["path"] == "/inbound/documents"
    assert listed["method"] == "POST"
    assert listed["health"] == {"status": "UP"}
    assert listed["elements"][0]["processId"] == "docs"
    assert listed["elements"][0]["elementId"] == "webhook_start"


def _busy_store_app(tmp_path):
    from flowwire.connectors.secrets import SecretResolver
    from flowwire.server import create_app
    from flowwire.store.sqlite import SQLiteStore

    engine = Engine(SQLiteStore(str(tmp_path / "busy.db"), busy_timeout_ms=200))
    manager = InboundManager(engine, secrets=SecretResolver([]))
    manager.deploy(start_process("docs", webhook_properties("documents")))
    return engine, create_app(engine, inbound=manager, run_connectors=False, rest_api=False)


def test_busy_store_is_503_with_retry_after(tmp_path):
    import sqlite3

    from .conftest import TestClient

    engine, app = _busy_store_app(tmp_path)
    other = sqlite3.connect(engine.store.path, isolation_level=None)
    try:
        with TestClient(app) as client:
            other.execute("BEGIN IMMEDIATE")  # another process holds the write lock
            busy = client.post("/inbound/documents", json={})
            other.execute("ROLLBACK")
        assert busy.status_code == 503
        assert busy.headers["retry-after"] == "1"
        assert "busy" in busy.json()["error"]
    finally:
        other.close()
        engine.close()


def test_webhook_works_again_once_the_store_is_free(tmp_path):
    import sqlite3

    from .conftest import TestClient

    engine, app = _busy_store_app(tmp_path)
    other = sqlite3.connect(engine.store.path, isolation_level=None)
    try:
        with TestClient(app) as client:
            other.execute("BEGIN IMMEDIATE")
            client.post("/inbound/documents", json={})
            other.execute("ROLLBACK")
            assert client.post("/inbound/documents", json={}).status_code == 200
    finally:
        other.close()
        engine.close()
