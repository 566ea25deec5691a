"""HTTP polling (`io.camunda:http-polling:1`) on intermediate catch and boundary events, against
a real loopback HTTP server, with the engine on a manual clock so intervals are exact."""

from __future__ import annotations

import asyncio
import base64
import logging
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from flowwire.connectors.inbound import InboundManager
from flowwire.connectors.inbound.polling import HttpPoller
from flowwire.connectors.secrets import MappingSecretProvider, SecretResolver
from flowwire.engine import DeploymentRejected, Engine, ManualClock
from flowwire.store import open_store
from support.http_server import LoopbackServer, Recorded, Reply

from .models import boundary_process, catch_event_process, subprocess_catch_process

START = datetime(2024, 3, 4, 9, 0, tzinfo=UTC)
SECRETS = {"POLL_PASSWORD": "p0ll-s3cret"}


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(START)


@pytest.fixture
def engine(tmp_path: Path, clock: ManualClock) -> Iterator[Engine]:
    engine = Engine(open_store(str(tmp_path / "flowwire.db")), clock=clock)
    yield engine
    engine.close()


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[LoopbackServer]:
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    running = LoopbackServer()
    yield running
    running.close()


@pytest.fixture
def manager(engine: Engine) -> InboundManager:
    return InboundManager(engine, secrets=SecretResolver([MappingSecretProvider(SECRETS)]))


@pytest.fixture
def runner() -> Iterator[asyncio.Runner]:
    """One event loop per test: the poller's HTTP client lives on it."""
    with asyncio.Runner() as running:
        yield running


@pytest.fixture
def poller(engine: Engine, manager: InboundManager, runner: asyncio.Runner) -> Iterator[HttpPoller]:
    running = HttpPoller(engine, secrets=manager.secrets)
    yield running
    runner.run(running.aclose())


def polling(address: str, **extra: str) -> dict[str, str]:
    """The properties Camunda's polling template writes (`__` in names stands for `.`)."""
    properties = {
        "inbound.type": "io.camunda:http-polling:1",
        "method": "GET",
        "url": address,
        "authentication.type": "noAuth",
        "httpRequestInterval": "PT10S",
        "activationCondition": '=body.status = "DONE"',
        "resultExpression": "={jobStatus: body.status, result: body.result}",
    }
    properties.update({k.replace("__", "."): v for k, v in extra.items()})
    return properties


class StatusRoute:
    """A job status endpoint whose answer the test changes."""

    def __init__(self) -> None:
        self.status = "RUNNING"

    def __call__(self, request: Recorded) -> Reply:
        return Reply(200, {"status": self.status, "result": 42 if self.status == "DONE" else None})


@pytest.fixture
def poll(poller: HttpPoller, runner: asyncio.Runner) -> Callable[..., int]:
    """`poll()` runs one polling round at the engine's time (or `poll(now)`)."""

    def run(now: datetime | None = None) -> int:
        return runner.run(poller.poll_due(now))

    return run


def requests_to(server: LoopbackServer, path: str) -> list[Recorded]:
    return [r for r in server.requests if r.path == path]


def test_intermediate_catch_completes_when_the_polled_status_turns_done(
    engine: Engine,
    manager: InboundManager,
    poller: HttpPoller,
    server: LoopbackServer,
    poll: Callable[..., int],
) -> None:
    route = StatusRoute()
    server.route("GET", "/jobs/7", route)
    url = f'="{server.base}/jobs/" + string(jobId)'
    manager.deploy(catch_event_process("poll_job", polling(url), "job-done"), "poll.bpmn")
    instance = engine.create_instance("poll_job", {"orderId": "o-1", "jobId": 7}).key

    assert poll() == 1
    assert engine.get_instance(instance).state == "ACTIVE"
    route.status = "DONE"
    engine.advance_clock(timedelta(seconds=10))
    assert poll() == 1

    assert engine.get_instance(instance).state == "COMPLETED"
    variables = engine.variables(instance)
    assert variables["jobStatus"] == "DONE"
    assert variables["result"] == 42
    assert len(requests_to(server, "/jobs/7")) == 2
    assert poller.waiting == 0
    engine.advance_clock(timedelta(seconds=60))
    assert poll() == 0


def test_boundary_event_interrupts_the_task_when_the_condition_holds(
    engine: Engine,
    manager: InboundManager,
    poller: HttpPoller,
    server: LoopbackServer,
    poll: Callable[..., int],
) -> None:
    server.route("GET", "/cancel", Reply(200, {"cancelled": True}))
    properties = polling(
        f"{server.base}/cancel",
        activationCondition="=response.status = 200 and response.body.cancelled",
        resultVariable="cancelResponse",
        resultExpression="",
    )
    manager.deploy(boundary_process("poll_cancel", properties, "cancel"), "cancel.bpmn")
    instance = engine.create_instance("poll_cancel", {"orderId": "o-2"}).key

    assert poll() == 1

    assert engine.get_instance(instance).state == "COMPLETED"
    assert "cancelled" in [e.element_id for e in engine.history(instance)]
    assert engine.variables(instance)["cancelResponse"]["body"] == {"cancelled": True}


def test_no_request_is_made_before_the_interval_has_passed(
    engine: Engine,
    manager: InboundManager,
    poller: HttpPoller,
    server: LoopbackServer,
    clock: ManualClock,
    poll: Callable[..., int],
) -> None:
    server.route("GET", "/slow", StatusRoute())
    manager.deploy(
        catch_event_process("poll_slow", polling(f"{server.base}/slow"), "slow"), "slow.bpmn"
    )
    engine.create_instance("poll_slow", {"orderId": "o-3"})

    assert poll() == 1  # a new wait is polled at once
    engine.advance_clock(timedelta(seconds=9))
    assert poll() == 0
    assert len(requests_to(server, "/slow")) == 1
    engine.advance_clock(timedelta(seconds=1))
    assert poll() == 1
    assert poll(clock.now() + timedelta(seconds=5)) == 0
    assert len(requests_to(server, "/slow")) == 2


def test_each_waiting_instance_polls_its_own_url_with_its_variables(
    engine: Engine,
    manager: InboundManager,
    poller: HttpPoller,
    server: LoopbackServer,
    poll: Callable[..., int],
) -> None:
    server.route("GET", "/orders/a", Reply(200, {"status": "DONE", "result": "a"}))
    server.route("GET", "/orders/b", StatusRoute())
    properties = polling(
        f'="{server.base}/orders/" + orderId',
        queryParameters='={verbose: "yes", region: region}',
    )
    manager.deploy(catch_event_process("poll_orders", properties, "order-ready"), "orders.bpmn")
    first = engine.create_instance("poll_orders", {"orderId": "a", "region": "eu"}).key
    second = engine.create_instance("poll_orders", {"orderId": "b", "region": "us"}).key

    assert poll() == 2

    assert engine.get_instance(first).state == "COMPLETED"
    assert engine.variables(first)["result"] == "a"
    assert engine.get_instance(second).state == "ACTIVE"
    assert server.last("/orders/a").query == {"verbose": ["yes"], "region": ["eu"]}
    assert server.last("/orders/b").query == {"verbose": ["yes"], "region": ["us"]}


def test_basic_authentication_with_a_secret_is_sent_and_masked_in_logs(
    engine: Engine,
    manager: InboundManager,
    poller: HttpPoller,
    server: LoopbackServer,
    caplog: pytest.LogCaptureFixture,
    poll: Callable[..., int],
) -> None:
    server.route("GET", "/private", Reply(500, {"status": "BROKEN"}))
    properties = polling(
        f"{server.base}/private?key={{{{secrets.POLL_PASSWORD}}}}",
        authentication__type="basic",
        authentication__username="poller",
        authentication__password="{{secrets.POLL_PASSWORD}}",
        headers='={"X-Trace": "t-" + orderId}',
    )
    manager.deploy(catch_event_process("poll_private", properties, "private"), "private.bpmn")
    engine.create_instance("poll_private", {"orderId": "o-5"})

    with caplog.at_level(logging.WARNING, logger="flowwire.inbound.polling"):
        assert poll() == 1

    sent = server.last("/private")
    expected = base64.b64encode(f"poller:{SECRETS['POLL_PASSWORD']}".encode()).decode()
    assert sent.headers["authorization"] == f"Basic {expected}"
    assert sent.headers["x-trace"] == "t-o-5"
    assert "answered 500" in caplog.text
    assert SECRETS["POLL_PASSWORD"] not in caplog.text


def test_a_failing_endpoint_is_logged_and_polled_again_without_stopping_others(
    engine: Engine,
    manager: InboundManager,
    poller: HttpPoller,
    server: LoopbackServer,
    caplog: pytest.LogCaptureFixture,
    poll: Callable[..., int],
) -> None:
    server.route("GET", "/ok", Reply(200, {"status": "DONE", "result": 1}))
    dead = "http://127.0.0.1:9/unreachable"
    manager.deploy(catch_event_process("poll_dead", polling(dead), "dead"), "dead.bpmn")
    manager.deploy(catch_event_process("poll_ok", polling(f"{server.base}/ok"), "ok"), "ok.bpmn")
    broken = engine.create_instance("poll_dead", {"orderId": "o-6"}).key
    healthy = engine.create_instance("poll_ok", {"orderId": "o-7"}).key

    with caplog.at_level(logging.WARNING, logger="flowwire.inbound.polling"):
        assert poll() == 2
        engine.advance_clock(timedelta(seconds=10))
        assert poll() == 1

    assert engine.get_instance(healthy).state == "COMPLETED"
    assert engine.get_instance(broken).state == "ACTIVE"
    assert caplog.text.count(f"instance {broken}, element 'wait_hook' failed") == 2
    assert poller.waiting == 1


def test_polling_stops_when_the_instance_no_longer_waits(
    engine: Engine,
    manager: InboundManager,
    poller: HttpPoller,
    server: LoopbackServer,
    poll: Callable[..., int],
) -> None:
    server.route("GET", "/gone", StatusRoute())
    manager.deploy(
        catch_event_process("poll_gone", polling(f"{server.base}/gone"), "gone"), "gone.bpmn"
    )
    instance = engine.create_instance("poll_gone", {"orderId": "o-8"}).key
    assert poll() == 1

    engine.cancel_instance(instance)
    engine.advance_clock(timedelta(seconds=30))

    assert poll() == 0
    assert poller.waiting == 0
    assert len(requests_to(server, "/gone")) == 1


@pytest.mark.parametrize(
    ("extra", "property_name"),
    [
        ({"httpRequestInterval": "every ten seconds"}, "httpRequestInterval"),
        ({"activationCondition": "=body.status = "}, "activationCondition"),
        ({"authentication__type": "kerberos"}, "authentication.type"),
        ({"url": ""}, "url"),
        ({"method": "FETCH"}, "method"),
    ],
)
def test_a_bad_polling_configuration_rejects_the_deployment_naming_element_and_property(
    manager: InboundManager, extra: dict[str, str], property_name: str
) -> None:
    properties = polling("http://127.0.0.1:9/x", **extra)
    with pytest.raises(DeploymentRejected) as caught:
        manager.deploy(catch_event_process("poll_bad", properties, "bad"), "bad.bpmn")
    text = str(caught.value)
    assert "element 'wait_hook'" in text
    assert f"property '{property_name}'" in text


def test_the_request_sees_the_variables_visible_at_the_waiting_element(
    engine: Engine,
    manager: InboundManager,
    poller: HttpPoller,
    server: LoopbackServer,
    poll: Callable[..., int],
) -> None:
    server.route("GET", "/eu/jobs/7", Reply(200, {"status": "DONE", "result": "ok"}))
    # base: root scope; area: the subprocess's input; jobPath: the catch event's own input
    url = f'="{server.base}/" + area + jobPath'
    properties = polling(url, headers='={"X-Order": orderId, "X-Area": area}')
    manager.deploy(subprocess_catch_process("poll_scoped", properties, "scoped"), "scoped.bpmn")
    instance = engine.create_instance(
        "poll_scoped", {"orderId": "o-9", "region": "eu", "jobId": 7}
    ).key

    assert poll() == 1

    sent = server.last("/eu/jobs/7")
    assert (sent.headers["x-order"], sent.headers["x-area"]) == ("o-9", "eu")
    assert engine.get_instance(instance).state == "COMPLETED"
    assert engine.variables(instance)["result"] == "ok"


def test_a_boundary_event_polls_with_the_variables_of_its_activity(
    engine: Engine,
    manager: InboundManager,
    poller: HttpPoller,
    server: LoopbackServer,
    poll: Callable[..., int],
) -> None:
    server.route("GET", "/tickets/T-o-10", Reply(200, {"status": "DONE"}))
    properties = polling(f'="{server.base}/tickets/" + ticket', resultExpression="")
    xml = boundary_process("poll_ticket", properties, "ticket").replace(
        '<bpmn:userTask id="review">',
        '<bpmn:userTask id="review"><bpmn:extensionElements><zeebe:ioMapping>'
        '<zeebe:input source="=&#34;T-&#34; + orderId" target="ticket" />'
        "</zeebe:ioMapping></bpmn:extensionElements>",
    )
    manager.deploy(xml, "ticket.bpmn")
    instance = engine.create_instance("poll_ticket", {"orderId": "o-10"}).key

    assert poll() == 1

    assert len(requests_to(server, "/tickets/T-o-10")) == 1
    assert engine.get_instance(instance).state == "COMPLETED"
    assert "cancelled" in [e.element_id for e in engine.history(instance)]


def test_correlation_key_expression_correlates_the_instance_whose_key_it_gives(
    engine: Engine,
    manager: InboundManager,
    poller: HttpPoller,
    server: LoopbackServer,
    caplog: pytest.LogCaptureFixture,
    poll: Callable[..., int],
) -> None:
    # one shared status feed that names the order it is about
    server.route("GET", "/feed", Reply(200, {"status": "DONE", "orderId": "b", "result": 2}))
    properties = polling(f"{server.base}/feed", correlationKeyExpression="=body.orderId")
    manager.deploy(catch_event_process("poll_feed", properties, "feed"), "feed.bpmn")
    first = engine.create_instance("poll_feed", {"orderId": "a"}).key
    second = engine.create_instance("poll_feed", {"orderId": "b"}).key

    with caplog.at_level(logging.INFO, logger="flowwire.inbound.polling"):
        assert poll() == 2
        assert engine.get_instance(second).state == "COMPLETED"
        assert engine.variables(second)["result"] == 2
        assert engine.get_instance(first).state == "ACTIVE"  # the feed spoke of b, not a
        assert "result" not in engine.variables(first)

        engine.advance_clock(timedelta(seconds=10))
        assert poll() == 1  # a keeps polling; nothing waits for key b any more

    assert engine.get_instance(first).state == "ACTIVE"
    assert "no instance waits for message 'feed' with correlation key 'b'" in caplog.text
    [listed] = poller.describe()
    assert listed["lastPoll"]["outcome"] == "NO_MATCHING_INSTANCE"
    assert listed["health"]["status"] == "UP"


def test_a_failing_correlation_key_expression_is_logged_and_shown_not_fatal(
    engine: Engine,
    manager: InboundManager,
    poller: HttpPoller,
    server: LoopbackServer,
    caplog: pytest.LogCaptureFixture,
    poll: Callable[..., int],
) -> None:
    server.route("GET", "/nokey", Reply(200, {"status": "DONE"}))
    server.route("GET", "/ok", Reply(200, {"status": "DONE", "result": 1}))
    broken = polling(f"{server.base}/nokey", correlationKeyExpression="=body.order.id")
    manager.deploy(catch_event_process("poll_nokey", broken, "nokey"), "nokey.bpmn")
    manager.deploy(catch_event_process("poll_ok", polling(f"{server.base}/ok"), "ok"), "ok.bpmn")
    stuck = engine.create_instance("poll_nokey", {"orderId": "o-11"}).key
    healthy = engine.create_instance("poll_ok", {"orderId": "o-12"}).key

    with caplog.at_level(logging.WARNING, logger="flowwire.inbound.polling"):
        assert poll() == 2
        engine.advance_clock(timedelta(seconds=10))
        assert poll() == 1  # retried after the interval

    assert engine.get_instance(stuck).state == "ACTIVE"
    assert engine.get_instance(healthy).state == "COMPLETED"
    assert caplog.text.count(f"instance {stuck}, element 'wait_hook' failed") == 2
    assert "correlationKeyExpression gave null" in caplog.text
    listed = {item["processId"]: item for item in poller.describe()}
    assert listed["poll_nokey"]["health"]["status"] == "DOWN"
    assert "correlationKeyExpression" in listed["poll_nokey"]["health"]["reason"]
    assert listed["poll_nokey"]["failedPolls"] == 2
    assert listed["poll_nokey"]["polledInstances"] == 1
    assert listed["poll_ok"]["lastPoll"]["outcome"] == "CORRELATED"
    assert listed["poll_ok"]["polledInstances"] == 0


def test_a_correlation_key_expression_that_gives_no_text_or_number_is_a_failure(
    engine: Engine,
    manager: InboundManager,
    poller: HttpPoller,
    server: LoopbackServer,
    poll: Callable[..., int],
) -> None:
    server.route("GET", "/list", Reply(200, {"status": "DONE", "ids": ["a"]}))
    properties = polling(f"{server.base}/list", correlationKeyExpression="=body.ids")
    manager.deploy(catch_event_process("poll_list", properties, "list"), "list.bpmn")
    instance = engine.create_instance("poll_list", {"orderId": "a"}).key

    assert poll() == 1

    assert engine.get_instance(instance).state == "ACTIVE"
    [listed] = poller.describe()
    assert listed["health"]["status"] == "DOWN"
    assert "must give a string or a number" in listed["health"]["reason"]
