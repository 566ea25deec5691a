"""``flowwire run --message/--advance`` and ``flowwire publish``: messages and time for an
instance that waits."""

from __future__ import annotations

from pathlib import Path

from .cli_helpers import flowwire

_MODEL = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:zeebe="http://camunda.org/schema/zeebe/1.0"
    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" id="d" targetNamespace="t">
  <bpmn:message id="Paid" name="payment received">
    <bpmn:extensionElements><zeebe:subscription correlationKey="=orderId" /></bpmn:extensionElements>
  </bpmn:message>
  <bpmn:process id="order" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:intermediateCatchEvent id="paid"><bpmn:messageEventDefinition messageRef="Paid" />
    </bpmn:intermediateCatchEvent>
    <bpmn:intermediateCatchEvent id="cool_off"><bpmn:timerEventDefinition>
      <bpmn:timeDuration xsi:type="bpmn:tFormalExpression">PT1H</bpmn:timeDuration>
    </bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
    <bpmn:endEvent id="end" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="paid" />
    <bpmn:sequenceFlow id="f2" sourceRef="paid" targetRef="cool_off" />
    <bpmn:sequenceFlow id="f3" sourceRef="cool_off" targetRef="end" />
  </bpmn:process>
</bpmn:definitions>
"""


_STARTED_BY_MESSAGE = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="d" targetNamespace="t">
  <bpmn:message id="Placed" name="order placed" />
  <bpmn:process id="intake" isExecutable="true">
    <bpmn:startEvent id="placed"><bpmn:messageEventDefinition messageRef="Placed" />
    </bpmn:startEvent>
    <bpmn:endEvent id="end" />
    <bpmn:sequenceFlow id="f1" sourceRef="placed" targetRef="end" />
  </bpmn:process>
</bpmn:definitions>
"""


def _model(tmp_path: Path) -> Path:
    path = tmp_path / "order.bpmn"
    path.write_text(_MODEL)
    return path


def test_run_names_the_message_it_waits_for(tmp_path: Path) -> None:
    result = flowwire("run", str(_model(tmp_path)), "--vars", '{"orderId": "A-1"}')
    assert result.exit_code == 2, result.output
    assert (
        "the message 'payment received' with correlation key 'A-1' at element 'paid'"
        in result.stdout
    )


def test_run_publishes_a_message_and_advances_the_clock(tmp_path: Path) -> None:
    model = str(_model(tmp_path))
    args = ["run", model, "--vars", '{"orderId": "A-1"}', "--message", "payment received"]
    args += ["--key", "A-1", "--message-vars", '{"amount": 3}']
    waiting = flowwire(*args)
    assert waiting.exit_code == 2, waiting.output
    assert "published message 'payment received' with correlation key 'A-1'" in waiting.stdout
    assert "a timer due" in waiting.stdout and "at element 'cool_off'" in waiting.stdout

    done = flowwire(*args, "--advance", "PT1H")
    assert done.exit_code == 0, done.output
    assert "advanced the clock by PT1H" in done.stdout
    assert "\ncompleted\n" in done.stdout
    assert '"amount": 3' in done.stdout


def test_a_second_command_publishes_into_the_same_store(tmp_path: Path) -> None:
    store = str(tmp_path / "flow.db")
    model = str(_model(tmp_path))
    first = flowwire("run", model, "--vars", '{"orderId": "A-1"}', "--store", store)
    assert first.exit_code == 2, first.output
    published = flowwire(
        "publish", "payment received", "--key", "A-1", "--vars", '{"ok": true}', "--store", store
    )
    assert published.exit_code == 0, published.output
    instances = flowwire("instances", "--store", store)
    assert instances.exit_code == 0, instances.output
    assert "ACTIVE" in instances.stdout  # now at the timer


def test_bad_message_options_are_usage_errors(tmp_path: Path) -> None:
    model = str(_model(tmp_path))
    assert flowwire("run", model, "--key", "A").exit_code == 2
    result = flowwire("run", model, "--message", "m", "--advance", "soon")
    assert result.exit_code == 2
    assert "--advance" in result.output


def test_run_starts_a_process_by_its_message_start_event(tmp_path: Path) -> None:
    path = tmp_path / "intake.bpmn"
    path.write_text(_STARTED_BY_MESSAGE)
    args = ["run", str(path), "--message", "order placed", "--key", "A-1"]
    result = flowwire(*args, "--vars", '{"orderId": "A-1"}')
    assert result.exit_code == 0, result.output
    assert "published message 'order placed' with correlation key 'A-1'" in result.stdout
    assert '"orderId": "A-1"' in result.stdout
    wrong = flowwire("run", str(path), "--message", "something else")
    assert wrong.exit_code == 1
    assert "no process instance waits" in wrong.output
